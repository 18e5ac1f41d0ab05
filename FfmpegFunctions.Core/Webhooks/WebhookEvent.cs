using FfmpegFunctions.Core.Progress;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>The body POSTed to a callbackUrl (serialised with web defaults, nulls left out).</summary>
public sealed record WebhookEvent(
    Guid Id,
    string Type,
    Guid CompositionId,
    string Status,
    DateTimeOffset Timestamp,
    OutputMetadata? Output = null,
    string? Error = null)
{
    public const string Completed = "composition.completed";
    public const string Failed = "composition.failed";
}
