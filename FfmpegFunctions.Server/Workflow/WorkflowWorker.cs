using System.Collections.Concurrent;
using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Workflow;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// The durable engine's worker loop: claims jobs (SKIP LOCKED, priority then age) up to its slot count,
/// runs the render workflow under a heartbeat-renewed lease, retries transient failures with backoff
/// and, on shutdown, hands unfinished jobs back so another instance resumes them from their checkpoints.
/// </summary>
internal sealed class WorkflowWorker(
    JobQueue queue,
    JobSignal signal,
    RenderSteps steps,
    IOptions<WorkflowEngineOptions> options,
    TimeProvider clock,
    IRenderMetrics metrics,
    ILogger<WorkflowWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> running = new();

    private WorkflowEngineOptions Options => options.Value;

    /// <summary>Jobs this instance is running now.</summary>
    public int RunningCount => running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled) return;
        WorkflowEngineLog.Started(logger, Options.InstanceId, Options.MaxConcurrentJobs);
        metrics.SetWorkerSlots(Options.MaxConcurrentJobs);
        using var slots = new SemaphoreSlim(Options.MaxConcurrentJobs);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var job = await TryClaimAsync(stoppingToken);
                if (job is null)
                {
                    slots.Release();
                    await signal.WaitAsync(Options.PollInterval, stoppingToken);
                    continue;
                }
                WorkflowEngineLog.Claimed(logger, job.Id, job.CompositionId, job.Attempts);
                running[job.Id] = Task.Run(async () =>
                {
                    try { await RunJobAsync(job, stoppingToken); }
                    finally
                    {
                        running.TryRemove(job.Id, out _);
                        slots.Release();
                        signal.Notify(); // a slot is free: look for more work at once
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Values);
    }

    private async Task<ClaimedJob?> TryClaimAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await queue.ClaimAsync(Options.InstanceId, Options.LeaseDuration, stoppingToken, Options.PriorityCodes());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WorkflowEngineLog.ClaimFailed(logger, ex);
            return null;
        }
    }

    /// <summary>Runs a job inside a logging scope naming the request that created it, and times it for metrics.</summary>
    private async Task RunJobAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            [RequestId.ScopeField] = job.RequestId,
            ["composition_id"] = job.CompositionId,
        });
        var started = clock.GetTimestamp();
        metrics.JobStarted();
        var outcome = "retried";
        try
        {
            outcome = await RunJobCoreAsync(job, stoppingToken);
        }
        finally
        {
            metrics.JobFinished(outcome, clock.GetElapsedTime(started));
        }
    }

    private async Task<string> RunJobCoreAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        var owner = Options.InstanceId;
        var input = new RenderInput(job.CompositionId, job.JobId);
        var state = new RunState();
        // The creating request's trace continues here, on whichever instance claimed the job and however late.
        ActivityContext.TryParse(job.TraceParent, null, out var parent);
        using var activity = Telemetry.Source.StartActivity("workflow " + RenderWorkflow.Name, ActivityKind.Internal, parent);
        activity?.SetTag("composition.id", job.CompositionId.ToString("D"));
        activity?.SetTag("workflow.job_id", job.Id.ToString("D"));
        activity?.SetTag("workflow.attempt", job.Attempts);
        activity?.SetTag("workflow.instance", owner);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(job, run, state);
        try
        {
            if (job.Attempts > job.MaxAttempts)
            {
                // The process died under this job every time (e.g. killed for memory): stop trying.
                await steps.MarkFailedAsync(new FailInput(input, "engine", $"The render was interrupted {job.MaxAttempts} times; giving up."), run.Token);
                return await FinishAsync(job, CompositionStatus.Failed);
            }
            var context = new PostgresWorkflowContext(job, owner, queue, steps, Options, clock, run.Token);
            var outcome = await RenderWorkflow.RunAsync(context, input);
            activity?.SetTag("workflow.outcome", outcome.Status);
            if (outcome.Status == CompositionStatus.Failed) activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            return await FinishAsync(job, outcome.Status);
        }
        catch (RetryJobException ex)
        {
            WorkflowEngineLog.Retrying(logger, ex.InnerException ?? ex, job.Id, ex.Delay.TotalSeconds);
            await queue.ReleaseAsync(job.Id, owner, ex.Delay, countAttempt: true, ex.Message, CancellationToken.None);
            return "retried";
        }
        catch (LeaseLostException)
        {
            WorkflowEngineLog.LeaseLost(logger, job.Id);
            return "lease_lost";
        }
        catch (OperationCanceledException) when (state.LeaseLost)
        {
            WorkflowEngineLog.LeaseLost(logger, job.Id);
            return "lease_lost";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && !state.CancelRequested)
        {
            await queue.ReleaseAsync(job.Id, owner, TimeSpan.Zero, countAttempt: false, error: null, CancellationToken.None);
            WorkflowEngineLog.HandedBack(logger, job.Id);
            return "handed_back";
        }
        catch (OperationCanceledException)
        {
            // Cancelled or deleted by a client: ffmpeg is already killed; remove what the job left behind.
            await steps.CleanupAsync(input, CancellationToken.None);
            await queue.FinishAsync(job.Id, owner, "cancelled", CancellationToken.None);
            WorkflowEngineLog.Cancelled(logger, job.Id, job.CompositionId);
            return "cancelled";
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            WorkflowEngineLog.EngineError(logger, ex, job.Id);
            await queue.ReleaseAsync(job.Id, owner, Options.RetryDelay(job.Attempts), countAttempt: true, ex.Message, CancellationToken.None);
            return "retried";
        }
        finally
        {
            await run.CancelAsync();
            await heartbeat;
        }
    }

    private async Task<string> FinishAsync(ClaimedJob job, string compositionStatus)
    {
        var status = compositionStatus switch
        {
            CompositionStatus.Completed => "completed",
            CompositionStatus.Failed => "failed",
            _ => "cancelled",
        };
        await queue.FinishAsync(job.Id, Options.InstanceId, status, CancellationToken.None);
        WorkflowEngineLog.Finished(logger, job.Id, job.CompositionId, status);
        return status;
    }

    /// <summary>Renews the lease; stops the run when a client cancels or when the lease cannot be kept.</summary>
    private async Task HeartbeatAsync(ClaimedJob job, CancellationTokenSource run, RunState state)
    {
        var lastRenewed = clock.GetUtcNow();
        using var timer = new PeriodicTimer(Options.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                try
                {
                    var lease = await queue.RenewAsync(job.Id, Options.InstanceId, Options.LeaseDuration, run.Token);
                    if (!lease.Owned) { state.LeaseLost = true; await run.CancelAsync(); return; }
                    lastRenewed = clock.GetUtcNow();
                    if (lease.CancelRequested) { state.CancelRequested = true; await run.CancelAsync(); return; }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    WorkflowEngineLog.HeartbeatFailed(logger, ex, job.Id);
                    // Stop well before the lease can expire, so two instances never run the same step.
                    if (clock.GetUtcNow() - lastRenewed > Options.LeaseDuration / 2)
                    {
                        state.LeaseLost = true;
                        await run.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class RunState
    {
        public volatile bool LeaseLost;
        public volatile bool CancelRequested;
    }
}
