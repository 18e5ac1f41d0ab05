namespace FfmpegFunctions.Core.Rendering;

/// <summary>A finished render on local disk.</summary>
/// <param name="Duration">Seconds, measured by probing the output (not the planned duration).</param>
/// <param name="Elapsed">Wall time of the whole render, thumbnail and probe included.</param>
public sealed record RenderResult(string OutputPath, string ThumbnailPath, double Duration, long SizeBytes, TimeSpan Elapsed);
