using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>The ffmpeg invocations that render a whole composition: optional prepasses, then the final pass.</summary>
/// <param name="Arguments">The final pass's ffmpeg arguments, which write <paramref name="OutputPath"/> (no binary name, no -progress flags: the executor adds those).</param>
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

    /// <summary>
    /// Passes run in order before <see cref="Arguments"/>, each in the render's working directory (ffmpeg's current
    /// directory), writing work files by relative name that later passes read. Empty for a single-pass plan.
    /// </summary>
    public IReadOnlyList<RenderPass> Prepasses { get; init; } = [];

    /// <summary>Share of the progress bar the final pass covers; the prepasses share the rest by their own weights.</summary>
    public double FinalWeight { get; init; } = 1;

    /// <summary>Processes whose stdout, one after another, is the final pass's stdin (see <see cref="RenderPass.Feed"/>).</summary>
    public IReadOnlyList<RenderPass> FinalFeed { get; init; } = [];

    /// <summary>Processes run at the same time as the final pass, each streaming its output to it through a FIFO (see <see cref="RenderPass.Alongside"/>).</summary>
    public IReadOnlyList<RenderPass> FinalAlongside { get; init; } = [];

    /// <summary>When set, the final pass's arguments are made from the stderr of the pass before it (see <see cref="RenderPass.Resolve"/>).</summary>
    public Func<string, IReadOnlyList<string>>? FinalResolve { get; init; }

    /// <summary>Small text files (by name) the executor writes into the working directory before the first pass, e.g. a concat list.</summary>
    public IReadOnlyDictionary<string, string> WorkFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>False for a part of a segment-parallel render (a segment, the audio): only the joined output gets a thumbnail.</summary>
    public bool TakeThumbnail { get; init; } = true;

    /// <summary>Every pass in order, the final one last.</summary>
    public IReadOnlyList<RenderPass> Passes => [.. Prepasses, new RenderPass("render", Arguments, FinalWeight) { Feed = FinalFeed, Alongside = FinalAlongside, Resolve = FinalResolve }];
}

/// <summary>One ffmpeg invocation of a plan.</summary>
/// <param name="Name">What it does ("audio", "palette", "render"), for logs.</param>
/// <param name="Arguments">ffmpeg's arguments, without the executor's fixed flags.</param>
/// <param name="Weight">Relative share of the progress bar (about its share of the render time); every pass covers the whole timeline.</param>
public sealed record RenderPass(string Name, IReadOnlyList<string> Arguments, double Weight)
{
    /// <summary>
    /// When not empty, this pass reads raw frames on stdin (<c>-i pipe:0</c>) and these processes, run one at a
    /// time, write them to their stdout, so only one of them holds its decoders at any moment.
    /// </summary>
    public IReadOnlyList<RenderPass> Feed { get; init; } = [];

    /// <summary>
    /// Processes started together with this pass. Each one's last argument is a work-file name that the executor makes
    /// a FIFO: the process writes it while this pass reads it, so neither waits for the other to finish and no
    /// temp file grows on disk.
    /// </summary>
    public IReadOnlyList<RenderPass> Alongside { get; init; } = [];

    /// <summary>
    /// When set, the pass's arguments are made from the stderr of the pass before it (a measurement such as
    /// loudnorm's first pass) when it is about to run; <see cref="Arguments"/> is then unused.
    /// </summary>
    public Func<string, IReadOnlyList<string>>? Resolve { get; init; }
}

/// <param name="Time">Seconds into the output.</param>
/// <param name="Width">Thumbnail width in pixels (even).</param>
public sealed record ThumbnailPlan(double Time, int Width);
