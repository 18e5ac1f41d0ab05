using System.Text.Json;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Workflow.Steps;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>
/// Runs any step for either engine, and is the one place that decides what happens around it: the span and log scope,
/// the client's stop (fed by the engine, or polled here), what each exception means (done, stopped, failed
/// permanently or transiently, claim lost), the cleanup after a stop (one rule: <see cref="JobCleanup.AbandonAsync"/>)
/// and the job_steps record. The engines only turn the outcome into their own next move.
/// </summary>
/// <remarks>
/// Cancellation of the caller's token is not a stop: it is the engine going away (a shutdown, a lost lease, Durable
/// cancelling the activity), so the host rethrows it and the engine hands the work back or forgets it.
/// </remarks>
public sealed partial class StepHost(
    StepHandlers steps, StepJournal journal, JobCleanup cleanup, RenderJobStore jobs, IRenderMetrics metrics, TimeProvider clock, ILogger<StepHost> logger)
{
    public async Task<StepOutcome<TResult>> RunAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input, StepRun run, CancellationToken cancellationToken)
        where TInput : IStepInput
    {
        var render = input.Render;
        var key = step.KeyOf(input);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["composition_id"] = render.CompositionId, ["step"] = key });
        using var span = Telemetry.Source.StartActivity("step " + key);
        span?.SetTag("workflow.step", key);
        span?.SetTag("workflow.attempt", run.Attempt);
        var started = clock.GetUtcNow();
        var startedTicks = clock.GetTimestamp();
        using var stepRun = step.Stoppable
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Stop.Token)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = step.Stoppable && run.PollForStop is { } interval ? PollForStopAsync(render.CompositionId, run.Stop, interval, stepRun.Token) : Task.CompletedTask;
        var outcome = "failed";
        try
        {
            if (step.Stoppable && run.Stop.Reason is { } early)
            {
                outcome = "stopped";
                return await StoppedAsync<TResult>(render, key, early);
            }
            var result = await step.RunAsync(steps, input, run, stepRun.Token);
            if (run.Record && !await journal.CompleteAsync(render.CompositionId, key, JsonSerializer.Serialize(result, JsonSerializerOptions.Web), run, started, cancellationToken))
            {
                outcome = "claim_lost";
                return StepOutcome<TResult>.ClaimLost();
            }
            outcome = "completed";
            return StepOutcome<TResult>.Done(result);
        }
        catch (ClaimLostException)
        {
            outcome = "claim_lost";
            return StepOutcome<TResult>.ClaimLost();
        }
        catch (CompositionStoppedException stopped)
        {
            outcome = "stopped";
            return await StoppedAsync<TResult>(render, key, stopped.Status);
        }
        catch (OperationCanceledException) when (run.Stop.Reason is { } reason && step.Stoppable && !cancellationToken.IsCancellationRequested)
        {
            outcome = "stopped";
            return await StoppedAsync<TResult>(render, key, reason);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "interrupted";
            throw;
        }
        catch (PermanentStepException ex)
        {
            span.Fail(ex);
            return StepOutcome<TResult>.Failed(ex, permanent: true);
        }
        catch (Exception ex)
        {
            // Storage, network, a killed ffmpeg, a timeout: worth another go, as the retry policy allows.
            span.Fail(ex);
            LogTransientFailure(logger, ex, key, render.CompositionId, run.Attempt);
            return StepOutcome<TResult>.Failed(ex, permanent: false);
        }
        finally
        {
            await stepRun.CancelAsync();
            await poll;
            span?.SetTag("workflow.outcome", outcome);
            metrics.StepFinished(step.Name, outcome, clock.GetElapsedTime(startedTicks));
        }
    }

    /// <summary>After a stop, inside a step or noticed by an engine between steps: the same cleanup either way.</summary>
    public async Task<StepOutcome<T>> StoppedAsync<T>(RenderInput render, string where, string status)
    {
        // ffmpeg is gone (its token was cancelled): remove what the job left, outputs/ included unless it completed.
        await cleanup.AbandonAsync(render, CancellationToken.None);
        LogStopped(logger, where, render.CompositionId, status);
        return StepOutcome<T>.Stopped(status);
    }

    /// <summary>Where no heartbeat feeds the stop (Durable): read the composition every <paramref name="interval"/> while the step runs.</summary>
    private async Task PollForStopAsync(Guid compositionId, StepStop stop, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (await jobs.GetStoppedStatusAsync(compositionId, cancellationToken) is not { } status) continue;
                    stop.Request(status);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A database hiccup must not fail the step; the next poll tries again.
                    LogStopPollFailed(logger, ex, compositionId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = CoreEvents.StepStopped, Level = LogLevel.Information, Message = "Step {Step} of composition {CompositionId} stopped: the composition was {Status}")]
    private static partial void LogStopped(ILogger logger, string step, Guid compositionId, string status);

    [LoggerMessage(EventId = CoreEvents.StepFailedTransiently, Level = LogLevel.Warning, Message = "Step {Step} of composition {CompositionId} failed on attempt {Attempt}")]
    private static partial void LogTransientFailure(ILogger logger, Exception exception, string step, Guid compositionId, int attempt);

    [LoggerMessage(EventId = CoreEvents.StopPollFailed, Level = LogLevel.Warning, Message = "Looking for a stop of composition {CompositionId} failed")]
    private static partial void LogStopPollFailed(ILogger logger, Exception exception, Guid compositionId);
}
