namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// Starts and stops render workflows for stored compositions. The Server's engine needs nothing more
/// than the queued job row (written with the composition); the Functions host starts a Durable
/// orchestration whose instance id is the composition id.
/// </summary>
public interface IRenderScheduler
{
    Task ScheduleAsync(Guid compositionId, CancellationToken cancellationToken);

    Task CancelAsync(Guid compositionId, string reason, CancellationToken cancellationToken);
}
