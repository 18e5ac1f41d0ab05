using FfmpegFunctions.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace FfmpegFunctions.Functions.Webhooks;

/// <summary>
/// The Server's WebhookDispatcher as a timer: every 10 s it drains the due deliveries that the
/// MarkCompleted and MarkFailed activities queued. Claims use SKIP LOCKED, so overlapping runs on
/// several instances share the work instead of sending twice.
/// </summary>
public sealed class WebhookFunctions(WebhookSender sender)
{
    [Function("DispatchWebhooks")]
    public async Task RunAsync([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Keep going while whole batches come back, so a burst does not wait for the next tick.
        while (await sender.DispatchDueAsync(cancellationToken) > 0 && !cancellationToken.IsCancellationRequested) { }
    }
}
