using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Section Render: what an input may decode to, checked from the probe before any frame is decoded. A file's bytes
/// say little: a 746 KB PNG of 16000x16000 decodes to 768 MB a frame and took 3 GB and minutes to render.
/// </summary>
public sealed class MediaLimits
{
    public const string Section = "Render";

    /// <summary>Largest still image, in pixels (8192x8192 by default: a poster-sized photo).</summary>
    [Range(1L, int.MaxValue, ErrorMessage = "The setting 'Render:MaxImagePixels' must be between 1 and 2147483647.")]
    public long MaxImagePixels { get; set; } = 8192L * 8192;

    /// <summary>Largest video frame, in pixels (4096x2160, DCI 4K, by default; portrait counts the same).</summary>
    [Range(1L, int.MaxValue, ErrorMessage = "The setting 'Render:MaxVideoPixels' must be between 1 and 2147483647.")]
    public long MaxVideoPixels { get; set; } = 4096L * 2160;

    /// <summary>Highest video frame rate (frames the render must decode per second of timeline).</summary>
    [Range(1.0, 1000.0, ErrorMessage = "The setting 'Render:MaxFrameRate' must be between 1 and 1000.")]
    public double MaxFrameRate { get; set; } = 120;

    /// <summary>Most streams in one input (a phone video has 2-5; thousands make demuxing alone expensive).</summary>
    [Range(1, 1000, ErrorMessage = "The setting 'Render:MaxStreams' must be between 1 and 1000.")]
    public int MaxStreams { get; set; } = 16;

    /// <summary>The decoder's own cap while probing (ffmpeg's max_pixels), so even the probe never decodes a bomb.</summary>
    public long ProbePixelCap => Math.Max(MaxImagePixels, MaxVideoPixels);

    /// <summary>What is over a limit, in words naming the real figures and the setting; null when the input fits.</summary>
    public string? Violation(MediaInfo media)
    {
        if (media.Streams > MaxStreams)
            return $"has {media.Streams} streams, more than the {MaxStreams} allowed (Render:MaxStreams)";
        if (!media.HasVideo) return null;
        var pixels = (long)media.Width * media.Height;
        var (limit, kind, setting) = media.IsStillImage
            ? (MaxImagePixels, "an image", "Render:MaxImagePixels")
            : (MaxVideoPixels, "a video frame", "Render:MaxVideoPixels");
        if (pixels > limit)
            return string.Create(CultureInfo.InvariantCulture,
                $"is {media.Width}x{media.Height} ({pixels} pixels), more than the {limit} pixels allowed for {kind} ({setting})");
        if (!media.IsStillImage && media.FrameRate > MaxFrameRate)
            return string.Create(CultureInfo.InvariantCulture,
                $"runs at {media.FrameRate:0.###} frames per second, more than the {MaxFrameRate:0.###} allowed (Render:MaxFrameRate)");
        return null;
    }
}
