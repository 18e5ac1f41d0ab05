using System.Text.Json;
using FfmpegFunctions.Core.Progress;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>What GET /api/compositions/{id} returns.</summary>
/// <param name="Eta">While it renders: when it should end, at the pace its progress has kept since the job started.</param>
public sealed record CompositionView(
    Guid Id,
    string? Title,
    string Status,
    string Priority,
    double Progress,
    string? CurrentStep,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    CompositionError? Error,
    OutputMetadata? Output,
    JsonElement? Spec,
    DateTimeOffset? Eta = null);

/// <summary>One row of the list: no spec, to keep pages small.</summary>
public sealed record CompositionSummary(
    Guid Id,
    string? Title,
    string Status,
    string Priority,
    double Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    CompositionError? Error);

public sealed record CompositionPage(IReadOnlyList<CompositionSummary> Items, string? NextCursor);

/// <summary>The 202 body of a create.</summary>
public sealed record CompositionCreated(Guid Id, string Status);

/// <summary>A composition as the workflow reads it: the validated spec and where its outputs go.</summary>
public sealed record CompositionWork(Guid Id, string JobId, CompositionSpec Spec, string Status, string Tenant = Security.Tenants.Default);

public enum CreateOutcome { Created, Replayed, KeyReusedWithDifferentBody }

public sealed record CreateResult(CreateOutcome Outcome, Guid Id, string Status);

/// <summary>The request that created a composition, carried into its job so worker logs and spans point back at it.</summary>
public sealed record JobOrigin(string? RequestId, string? TraceParent)
{
    public static readonly JobOrigin None = new(null, null);

    public string ToMetadataJson()
    {
        var metadata = new Dictionary<string, string>();
        if (RequestId is not null) metadata["request_id"] = RequestId;
        if (TraceParent is not null) metadata["traceparent"] = TraceParent;
        return JsonSerializer.Serialize(metadata);
    }
}
/// <summary>One checkpointed workflow step of a composition's render.</summary>
public sealed record StepView(string Step, int Attempt, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);
