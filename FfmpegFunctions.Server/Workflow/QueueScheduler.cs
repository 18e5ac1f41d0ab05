using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// In the Server the queued job row, written in the same transaction as the composition (with a
/// NOTIFY that wakes idle workers), is the schedule; cancellation is the job's cancel_requested flag,
/// which the running worker's heartbeat notices within a second.
/// </summary>
internal sealed class QueueScheduler : IRenderScheduler
{
    public Task ScheduleAsync(Guid compositionId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CancelAsync(Guid compositionId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
