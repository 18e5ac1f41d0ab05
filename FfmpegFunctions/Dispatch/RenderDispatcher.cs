using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Workflow.Steps;
using Grpc.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>
/// Starts render orchestrations from the jobs table: high priority first, then default, then low, oldest
/// first within a priority, never more than Dispatch:MaxConcurrentRenders at once. It runs on a timer and is
/// kicked whenever a slot may have opened or work arrived (create, cancel, delete, a render's last step),
/// so no composition stays queued: a start that fails leaves its job queued for the next pass.
/// </summary>
public sealed partial class RenderDispatcher(
    FunctionsJobQueue queue, StepHandlers steps, IOptions<DispatchOptions> options, IOptions<WorkflowRetryOptions> retry, ILogger<RenderDispatcher> logger)
{
    /// <summary>Starts and stops orchestrations through <paramref name="client"/>, each started with today's retry policy.</summary>
    public DurableRenderScheduler Scheduler(DurableTaskClient client) => new(client, retry.Value.Policy);

    /// <returns>The compositions whose orchestrations this pass started.</returns>
    public async Task<IReadOnlyList<QueuedJob>> DispatchAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var scheduler = Scheduler(client);
        await ReconcileAsync(client, scheduler, cancellationToken);
        var started = await queue.StartQueuedAsync(options.Value.MaxConcurrentRenders,
            (job, ct) => scheduler.ScheduleAsync(job.CompositionId, ct), cancellationToken);
        foreach (var job in started) LogStarted(logger, job.CompositionId, job.Priority);
        return started;
    }

    /// <summary>
    /// The other kind of orphan: a job marked processing whose orchestration is gone (its task hub was reset) or
    /// ended without finishing the composition (an engine error, a terminate by hand). The first is started again
    /// (the steps are idempotent and resume the work), the second is failed, so neither holds a render slot forever.
    /// </summary>
    private async Task ReconcileAsync(DurableTaskClient client, DurableRenderScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var id in await queue.QuietProcessingAsync(options.Value.ReconcileAfter, 20, cancellationToken))
        {
            var instance = await client.GetInstanceAsync(DurableRenderScheduler.InstanceId(id), cancellationToken);
            if (instance is null)
            {
                LogRestarted(logger, id);
                await scheduler.ScheduleAsync(id, cancellationToken);
            }
            else if (instance.IsCompleted)
            {
                var reason = $"The render orchestration ended {instance.RuntimeStatus} without finishing the composition.";
                LogEndedUnfinished(logger, id, instance.RuntimeStatus.ToString());
                // As the workflow would have: failed row, events, the failed webhook, cleanup.
                using var stop = new StepStop();
                await steps.MarkFailed.RunAsync(new FailInput(new RenderInput(id, DurableRenderScheduler.InstanceId(id)), "engine", reason),
                    new StepRun(ClaimGuard.Always, 1, options.Value.InstanceId, stop), cancellationToken);
            }
            await queue.TouchAsync(id, cancellationToken);
        }
    }

    /// <summary>A kick: failures are logged, not thrown, because the caller's work is done and the timer retries.</summary>
    public async Task TryDispatchAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await DispatchAsync(client, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogKickFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = FunctionsEvents.RenderDispatched, Level = LogLevel.Information, Message = "Started the render of composition {CompositionId} (priority {Priority})")]
    private static partial void LogStarted(ILogger logger, Guid compositionId, int priority);

    [LoggerMessage(EventId = FunctionsEvents.OrphanRestarted, Level = LogLevel.Warning, Message = "Composition {CompositionId} was processing without an orchestration; started it again")]
    private static partial void LogRestarted(ILogger logger, Guid compositionId);

    [LoggerMessage(EventId = FunctionsEvents.OrphanFailed, Level = LogLevel.Warning, Message = "The orchestration of composition {CompositionId} ended {RuntimeStatus} without finishing it; marked failed")]
    private static partial void LogEndedUnfinished(ILogger logger, Guid compositionId, string runtimeStatus);

    [LoggerMessage(EventId = FunctionsEvents.DispatchKickFailed, Level = LogLevel.Warning, Message = "Starting queued renders failed; the dispatch timer tries again")]
    private static partial void LogKickFailed(ILogger logger, Exception exception);
}
