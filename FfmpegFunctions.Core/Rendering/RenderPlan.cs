using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>One ffmpeg invocation that renders a whole composition.</summary>
/// <param name="Arguments">ffmpeg's arguments (no binary name, no -progress flags: the executor adds those).</param>
/// <param name="Duration">Exact planned output duration in seconds, accounting for transitions.</param>
/// <param name="OutputPath">Local path the arguments write to.</param>
/// <param name="Output">The output settings, for checks after the render.</param>
/// <param name="Thumbnail">Where and how wide to take the thumbnail, already clamped to the timeline.</param>
public sealed record RenderPlan(
    IReadOnlyList<string> Arguments,
    double Duration,
    string OutputPath,
    OutputSpec Output,
    ThumbnailPlan Thumbnail)
{
    /// <summary>Output time (seconds) at which each clip starts, its incoming transition included; empty when not planned.</summary>
    public IReadOnlyList<double> ClipStarts { get; init; } = [];
}

/// <param name="Time">Seconds into the output.</param>
/// <param name="Width">Thumbnail width in pixels (even).</param>
public sealed record ThumbnailPlan(double Time, int Width);
