using System.Text.Json;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// Runs one render step as a Durable activity, doing for it what the Server's worker does around a step:
/// counts the attempt, records the step's times in job_steps (GET /api/compositions/{id}/steps reads them),
/// and watches the composition while the step runs, so a cancel or delete stops ffmpeg within about one poll
/// interval. Terminating the orchestration alone cannot: Durable does not cancel a running activity.
/// </summary>
public sealed partial class StepRunner(
    FunctionsJobQueue queue, RenderSteps steps, FunctionsMetrics metrics, IOptions<DispatchOptions> options, TimeProvider clock, ILogger<StepRunner> logger)
{
    /// <param name="watch">false for the final steps: they are quick, status-guarded, and must finish their cleanup.</param>
    public async Task<StepResult<T>> RunAsync<T>(string step, RenderInput input, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken, bool watch = true)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["composition_id"] = input.CompositionId, ["step"] = step });
        var attempt = await queue.BeginStepAsync(input.CompositionId, step, cancellationToken);
        var started = clock.GetUtcNow();
        var startedTicks = clock.GetTimestamp();
        using var stepCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = new StopState();
        var watcher = watch ? WatchAsync(input.CompositionId, stepCancel, stop) : Task.CompletedTask;
        var outcome = "failed";
        try
        {
            var result = await run(stepCancel.Token);
            await queue.CompleteStepAsync(input.CompositionId, step, JsonSerializer.Serialize(result, JsonSerializerOptions.Web),
                options.Value.InstanceId, attempt, started, cancellationToken);
            outcome = "completed";
            return StepResult<T>.Done(result);
        }
        catch (CompositionStoppedException)
        {
            outcome = "stopped";
            return await StoppedAsync<T>(step, input, await queue.StoppedStatusAsync(input.CompositionId, CancellationToken.None) ?? "cancelled");
        }
        catch (OperationCanceledException) when (stop.Status is { } status && !cancellationToken.IsCancellationRequested)
        {
            outcome = "stopped";
            return await StoppedAsync<T>(step, input, status);
        }
        finally
        {
            await stepCancel.CancelAsync();
            await watcher;
            metrics.StepFinished(step, outcome, clock.GetElapsedTime(startedTicks));
        }
    }

    private async Task<StepResult<T>> StoppedAsync<T>(string step, RenderInput input, string status)
    {
        // ffmpeg is gone (its token was cancelled); remove what the step left and end the job, as the Server does.
        await steps.CleanupAsync(input, CancellationToken.None);
        await queue.FinishStoppedAsync(input.CompositionId, CancellationToken.None);
        LogStopped(logger, step, input.CompositionId, status);
        return StepResult<T>.Stopped(status);
    }

    private async Task WatchAsync(Guid compositionId, CancellationTokenSource stepCancel, StopState stop)
    {
        var token = stepCancel.Token;
        try
        {
            using var timer = new PeriodicTimer(options.Value.StopPollInterval, clock);
            while (await timer.WaitForNextTickAsync(token))
            {
                try
                {
                    if (await queue.StoppedStatusAsync(compositionId, token) is not { } status) continue;
                    stop.Status = status;
                    await stepCancel.CancelAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A database hiccup must not fail the step; the next poll tries again.
                    LogWatchFailed(logger, ex, compositionId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class StopState
    {
        public volatile string? Status;
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Step {Step} of composition {CompositionId} stopped: the composition was {Status}")]
    private static partial void LogStopped(ILogger logger, string step, Guid compositionId, string status);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Warning, Message = "Looking for a cancel of composition {CompositionId} failed")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, Guid compositionId);
}
