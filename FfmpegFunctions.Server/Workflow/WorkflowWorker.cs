using System.Collections.Concurrent;
using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// The durable engine's worker loop: claims jobs (SKIP LOCKED, priority then age) up to its slot count,
/// runs the render workflow under a heartbeat-renewed lease, retries transient failures with backoff
/// and, on shutdown, hands unfinished jobs back so another instance resumes them from their checkpoints.
/// </summary>
internal sealed class WorkflowWorker(
    JobQueue queue,
    JobTasks tasks,
    TaskRunner taskRunner,
    JobSignal signal,
    StepHost host,
    StepJournal journal,
    LeaseKeeper keeper,
    IOptions<WorkflowEngineOptions> options,
    IOptions<WorkflowRetryOptions> retry,
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
                if (await TryClaimAsync(stoppingToken) is { } job)
                {
                    WorkflowEngineLog.Claimed(logger, job.Id, job.CompositionId, job.Attempts);
                    Track(job.Id, $"job {job.Id}", slots, () => RunJobAsync(job, stoppingToken));
                }
                // No job to own: help with a running one's fanned-out tasks (segments), this instance's included.
                else if (await TryClaimTaskAsync(stoppingToken) is { } task)
                    Track(Guid.NewGuid(), $"task {task.Key} of job {task.JobId}", slots, () => taskRunner.RunAsync(task, stoppingToken));
                else
                {
                    slots.Release();
                    await signal.WaitAsync(Options.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Every job and task, including those handing their work back right now: none outlives the host.
        await Task.WhenAll(running.Values);
    }

    /// <summary>Runs claimed work in its slot, tracked so shutdown waits for it.</summary>
    private void Track(Guid key, string what, SemaphoreSlim slots, Func<Task> work)
    {
        // The run waits for its entry to be in the set, so its own removal can never come first and leave a finished
        // run behind (the add-after-remove race).
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        running[key] = Task.Run(async () =>
        {
            await registered.Task;
            try { await work(); }
            catch (Exception ex)
            {
                // The run handles its work's own failures; this is the bookkeeping around them failing.
                WorkflowEngineLog.RunFailed(logger, ex, what);
            }
            finally
            {
                running.TryRemove(key, out _);
                slots.Release();
                signal.Notify(); // a slot is free: look for more work at once
            }
        }, CancellationToken.None);
        registered.SetResult();
    }

    private async Task<ClaimedTask?> TryClaimTaskAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await tasks.ClaimAsync(Options.InstanceId, Options.LeaseDuration, jobId: null, Options.PriorityCodes(), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WorkflowEngineLog.TaskClaimFailed(logger, ex);
            return null;
        }
    }

    private async Task<ClaimedJob?> TryClaimAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await queue.ClaimAsync(Options.InstanceId, Options.LeaseDuration, retry.Value.MaxAttempts, Options.PriorityCodes(), stoppingToken);
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
        var claim = job.Fence(owner);
        var input = new RenderInput(job.CompositionId, job.JobId);
        // The creating request's trace continues here, on whichever instance claimed the job and however late.
        ActivityContext.TryParse(job.TraceParent, null, out var parent);
        using var activity = Telemetry.Source.StartActivity("workflow " + RenderWorkflow.Name, ActivityKind.Internal, parent);
        activity?.SetTag("composition.id", job.CompositionId.ToString("D"));
        activity?.SetTag("workflow.job_id", job.Id.ToString("D"));
        activity?.SetTag("workflow.attempt", job.Attempts);
        activity?.SetTag("workflow.instance", owner);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stop = new StepStop();
        var lease = Options.LeaseDuration;
        var heartbeat = keeper.KeepAsync($"job {job.Id}", (deadline, ct) => queue.RenewAsync(claim, lease, deadline, ct), stop, run);
        var retryPolicy = retry.Value.Policy with { MaxAttempts = job.MaxAttempts };
        var context = new PostgresWorkflowContext(job, new StepRun(claim.Guard(), job.Attempts, owner, stop), retryPolicy, host, journal, tasks, taskRunner, Options, clock, run.Token);
        try
        {
            if (job.Attempts > job.MaxAttempts)
            {
                // The process died under this job every time (e.g. killed for memory): stop trying.
                await context.CallStepAsync(WorkflowSteps.MarkFailed, new FailInput(input, "engine", $"The render was interrupted {job.MaxAttempts} times; giving up."));
                return await FinishAsync(job, claim, CompositionStatus.Failed);
            }
            var outcome = await RenderWorkflow.RunAsync(context, input);
            activity?.SetTag("workflow.outcome", outcome.Status);
            if (outcome.Status == CompositionStatus.Failed) activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            return await FinishAsync(job, claim, outcome.Status);
        }
        catch (CompositionStoppedException)
        {
            // Cancelled or deleted by a client: the step host killed ffmpeg and removed what the job left behind.
            await ObservedAsync(job, "finish", () => queue.FinishAsync(claim, "cancelled", CancellationToken.None));
            WorkflowEngineLog.Cancelled(logger, job.Id, job.CompositionId);
            return "cancelled";
        }
        catch (RetryJobException ex)
        {
            WorkflowEngineLog.Retrying(logger, ex.InnerException ?? ex, job.Id, ex.Delay.TotalSeconds);
            await ObservedAsync(job, "release", () => queue.ReleaseAsync(claim, ex.Delay, countAttempt: true, ex.Message, CancellationToken.None));
            return "retried";
        }
        catch (Exception ex) when (ex is ClaimLostException || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            // Another instance holds the job now (or the heartbeat gave up on it): write nothing more.
            WorkflowEngineLog.LeaseLost(logger, $"job {job.Id}");
            return "lease_lost";
        }
        catch (OperationCanceledException)
        {
            await ObservedAsync(job, "hand back", () => queue.ReleaseAsync(claim, TimeSpan.Zero, countAttempt: false, error: null, CancellationToken.None));
            WorkflowEngineLog.HandedBack(logger, job.Id);
            return "handed_back";
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            WorkflowEngineLog.EngineError(logger, ex, job.Id);
            var delay = retryPolicy.Delay(job.Attempts, Random.Shared.NextDouble());
            await ObservedAsync(job, "release", () => queue.ReleaseAsync(claim, delay, countAttempt: true, ex.Message, CancellationToken.None));
            return "retried";
        }
        finally
        {
            await run.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Bookkeeping after a job ended (release, finish, cleanup): a failure is logged, never lost. The job
    /// itself is safe either way: an unreleased lease expires and the job is claimed again.</summary>
    private async Task ObservedAsync(ClaimedJob job, string what, Func<Task> action)
    {
        try { await action(); }
        catch (Exception ex)
        {
            WorkflowEngineLog.BookkeepingFailed(logger, ex, job.Id, what);
        }
    }

    private async Task<string> FinishAsync(ClaimedJob job, JobFence claim, string compositionStatus)
    {
        var status = compositionStatus switch
        {
            CompositionStatus.Completed => "completed",
            CompositionStatus.Failed => "failed",
            _ => "cancelled",
        };
        await ObservedAsync(job, "finish", () => queue.FinishAsync(claim, status, CancellationToken.None));
        WorkflowEngineLog.Finished(logger, job.Id, job.CompositionId, status);
        return status;
    }
}
