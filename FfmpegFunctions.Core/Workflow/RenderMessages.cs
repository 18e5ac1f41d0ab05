using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Core.Workflow;

// Step inputs and results: small records with ids and storage keys, never media bytes.

/// <summary>Every step's input names the render it belongs to (what the step host stops, cleans and records against).</summary>
public interface IStepInput
{
    RenderInput Render { get; }
}

/// <summary>The render a step belongs to; the workflow's own input. Its Durable instance id is the composition id.</summary>
public sealed record RenderInput(Guid CompositionId, string JobId) : IStepInput
{
    RenderInput IStepInput.Render => this;
}

/// <summary>What an engine starts the workflow with: the render, and the retry policy in force when it started (captured,
/// so a replay or a settings change mid-render decides as the first run did).</summary>
public sealed record RenderRequest(RenderInput Render, RetryPolicy Retry);

/// <summary>A step that only acknowledges; Continue=false means the composition was cancelled or deleted meanwhile.</summary>
public sealed record StepAck(bool Continue);

public sealed record ProbedSource(string Source, string Key, MediaInfo Media);

/// <summary>Every distinct input, downloaded and probed; stored once per job (RenderPlanStore), not passed along.</summary>
public sealed record ProbedInputs(IReadOnlyList<ProbedSource> Sources);

/// <summary>ProbeInputs' result: the probed inputs themselves are stored, so later steps' messages stay small.</summary>
public sealed record ProbeSummary(int Inputs);

/// <summary>Plan's result; its segment windows are stored for the steps that render them.</summary>
/// <param name="Segments">1 for a single-pass render; more for a segment-parallel one (RenderSegment per segment, RenderAudio, Join).</param>
public sealed record PlanSummary(double Duration, int Width, int Height, string Format, int Segments = 1);

/// <summary>One segment of a segment-parallel render, by its index in the stored plan.</summary>
public sealed record SegmentInput(RenderInput Render, int Index) : IStepInput;

/// <summary>A rendered part (a segment's video, the whole audio), parked under temp/{jobId}/ for the join.</summary>
public sealed record RenderedPart(string Key, double Duration, long SizeBytes);

/// <summary>The join of a segment-parallel render: every segment's part in order, and the audio's.</summary>
public sealed record JoinInput(RenderInput Render, IReadOnlyList<string> SegmentKeys, string AudioKey) : IStepInput;

/// <summary>The rendered output and thumbnail, parked under temp/{jobId}/ until published.</summary>
public sealed record RenderedOutput(string OutputTempKey, string ThumbnailTempKey, OutputMetadata Metadata);

public sealed record PublishInput(RenderInput Render, RenderedOutput Rendered) : IStepInput;

public sealed record PublishedOutput(string OutputKey, string ThumbnailKey, OutputMetadata Metadata);

public sealed record CompleteInput(RenderInput Render, PublishedOutput Published) : IStepInput;

public sealed record FailInput(RenderInput Render, string Step, string Reason) : IStepInput;

/// <summary>How a workflow ended.</summary>
public sealed record RenderOutcome(Guid CompositionId, string Status, string? Error = null, string? OutputKey = null);
