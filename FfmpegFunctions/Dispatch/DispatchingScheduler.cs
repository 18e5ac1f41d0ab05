using FfmpegFunctions.Core.Workflow;
using Microsoft.DurableTask.Client;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>
/// The scheduler Core's handlers get in the Functions host. Scheduling does not start this composition's
/// orchestration directly: the job row, committed with the composition, is the queue, and the dispatcher starts
/// the most urgent queued jobs that fit (this one or others). Stopping terminates the orchestration (no further
/// steps or waiting retries); the running step's own watch kills ffmpeg.
/// </summary>
public sealed class DispatchingScheduler(RenderDispatcher dispatcher, FunctionsJobQueue queue, DurableTaskClient client) : IRenderScheduler
{
    public Task ScheduleAsync(Guid compositionId, CancellationToken cancellationToken) =>
        dispatcher.TryDispatchAsync(client, cancellationToken);

    public async Task CancelAsync(Guid compositionId, string reason, CancellationToken cancellationToken)
    {
        await dispatcher.Scheduler(client).CancelAsync(compositionId, reason, cancellationToken);
        await queue.FinishStoppedAsync(compositionId, cancellationToken);
        await dispatcher.TryDispatchAsync(client, cancellationToken); // its slot is free
    }
}
