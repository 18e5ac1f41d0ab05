using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>What the workflow's final steps call: records the composition's event for delivery, if it asked for one.</summary>
public sealed class WebhookOutbox(WebhookDeliveryStore store, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public Task CompletedAsync(Guid compositionId, OutputMetadata output, CancellationToken cancellationToken) =>
        EnqueueAsync(new WebhookEvent(Guid.CreateVersion7(), WebhookEvent.Completed, compositionId, CompositionStatus.Completed, clock.GetUtcNow(), Output: output), cancellationToken);

    public Task FailedAsync(Guid compositionId, string error, CancellationToken cancellationToken) =>
        EnqueueAsync(new WebhookEvent(Guid.CreateVersion7(), WebhookEvent.Failed, compositionId, CompositionStatus.Failed, clock.GetUtcNow(), Error: error), cancellationToken);

    private Task EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken) =>
        options.Value.Enabled ? store.EnqueueAsync(webhookEvent, cancellationToken) : Task.CompletedTask;
}
