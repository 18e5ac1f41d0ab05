namespace FfmpegFunctions.Core.Rendering;

/// <summary>One progress report from a running render.</summary>
/// <param name="Percent">0..100 against the planned duration; never decreases and is exactly 100 only on success.</param>
/// <param name="OutTime">How much of the output ffmpeg has written.</param>
/// <param name="Speed">Multiple of realtime ffmpeg reports, null until it knows.</param>
public sealed record RenderProgress(double Percent, TimeSpan OutTime, double? Speed);
