using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// A preview's low-resolution stand-in for a video input, made once per input and kept beside it in storage: a
/// draft at 360 lines and 15 fps spends most of its time decoding full-size sources (H.264 has no reduced-resolution
/// decode), and decoding the proxy instead is several times cheaper. The proxy keeps the source's length and sound.
/// </summary>
public static class PreviewProxy
{
    /// <summary>Part of the key, so proxies made with other settings are never mistaken for these.</summary>
    private const string Suffix = ".preview-360p15.mp4";

    public static string KeyFor(string inputKey) => inputKey + Suffix;

    /// <summary>Only video larger or faster than a draft shows is worth a proxy.</summary>
    public static bool WorthIt(MediaInfo media) =>
        media is { HasVideo: true, IsStillImage: false, Duration: > 0 }
        && (Math.Min(media.Width, media.Height) > PreviewSpec.MaxHeight || media.FrameRate > PreviewSpec.MaxFps + 0.5);

    /// <summary>The source at most 360 lines on its short side and at most 15 fps, upright, with its sound as AAC.</summary>
    public static RenderPlan Plan(string inputPath, MediaInfo media, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        // Rotation is applied by ffmpeg (autorotate) before the filters, so "short side" is the displayed one.
        var portrait = media.Rotation is 90 or 270 ? media.Width > media.Height : media.Height > media.Width;
        var scale = portrait
            ? $"scale=w='min({PreviewSpec.MaxHeight},iw)':h=-2"
            : $"scale=w=-2:h='min({PreviewSpec.MaxHeight},ih)'";
        var fps = media.FrameRate > PreviewSpec.MaxFps + 0.5 ? $"fps={Invariant.Number(PreviewSpec.MaxFps)}," : "";
        List<string> arguments =
        [
            "-hide_banner", "-y", "-i", inputPath,
            "-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1",
            "-vf", fps + scale,
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k",
            "-f", "mp4", outputPath,
        ];
        var output = new OutputSpec { Width = PreviewSpec.MaxHeight, Height = PreviewSpec.MaxHeight, Fps = PreviewSpec.MaxFps, Preset = "ultrafast" };
        return new RenderPlan(arguments, media.Duration ?? 0, outputPath, output, new ThumbnailPlan(0, 160)) { TakeThumbnail = false };
    }
}
