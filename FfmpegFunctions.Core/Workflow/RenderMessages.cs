using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Core.Workflow;

// Step inputs and results: small records with ids and storage keys, never media bytes.

/// <summary>The workflow's input; its instance id is the composition id.</summary>
public sealed record RenderInput(Guid CompositionId, string JobId);

/// <summary>A step that only acknowledges; Continue=false means the composition was cancelled or deleted meanwhile.</summary>
public sealed record StepAck(bool Continue);

public sealed record ProbedSource(string Source, string Key, MediaInfo Media);

public sealed record ProbedInputs(IReadOnlyList<ProbedSource> Sources);

public sealed record PlanInput(RenderInput Render, ProbedInputs Probed);

public sealed record PlanSummary(double Duration, int Width, int Height, string Format);

public sealed record RenderStepInput(RenderInput Render, ProbedInputs Probed);

/// <summary>The rendered output and thumbnail, parked under temp/{jobId}/ until published.</summary>
public sealed record RenderedOutput(string OutputTempKey, string ThumbnailTempKey, OutputMetadata Metadata);

public sealed record PublishInput(RenderInput Render, RenderedOutput Rendered);

public sealed record PublishedOutput(string OutputKey, string ThumbnailKey, OutputMetadata Metadata);

public sealed record CompleteInput(RenderInput Render, PublishedOutput Published);

public sealed record FailInput(RenderInput Render, string Step, string Reason);

/// <summary>How a workflow ended.</summary>
public sealed record RenderOutcome(Guid CompositionId, string Status, string? Error = null, string? OutputKey = null);
