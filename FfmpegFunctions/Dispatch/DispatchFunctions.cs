using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>The dispatcher's timer: catches up whatever the kicks missed (a failed start, a burst, an instance that died).</summary>
public sealed class DispatchFunctions(RenderDispatcher dispatcher)
{
    [Function("DispatchRenders")]
    public Task RunAsync([TimerTrigger("*/5 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(durable, cancellationToken);
}
