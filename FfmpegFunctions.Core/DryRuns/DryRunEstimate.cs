namespace FfmpegFunctions.Core.DryRuns;

/// <summary>What a composition would render to and cost, from its probed inputs and its plan; nothing is stored.</summary>
/// <param name="Duration">Output seconds, transitions included.</param>
/// <param name="Frames">Output frames (duration times the output rate).</param>
/// <param name="Passes">The ffmpeg passes of a single-pass render, or the steps of a segmented one.</param>
/// <param name="Segments">1 for a single pass; more when the render is split into segments rendered in parallel.</param>
/// <param name="EstimatedBytes">Expected output size.</param>
/// <param name="EstimatedRenderSeconds">Expected wall time from the first step to the stored output, on this deployment.</param>
/// <param name="Basis">Where the two estimates come from.</param>
public sealed record DryRunEstimate(
    double Duration,
    long Frames,
    int Width,
    int Height,
    double Fps,
    string Format,
    IReadOnlyList<string> Passes,
    int Segments,
    long EstimatedBytes,
    double EstimatedRenderSeconds,
    EstimateBasis Basis,
    IReadOnlyList<DryRunInput> Inputs);

/// <summary>One distinct input as probed where it is stored.</summary>
/// <param name="Pointer">The first member that names it.</param>
/// <param name="Duration">Seconds; null for stills and caption files.</param>
public sealed record DryRunInput(string Pointer, string Source, double? Duration, bool HasVideo, bool HasAudio, int Width, int Height);

/// <param name="RecentRenders">How many of this deployment's recent renders the estimates are drawn from; 0 means fixed defaults.</param>
/// <param name="Description">The same in words.</param>
public sealed record EstimateBasis(int RecentRenders, string Description);
