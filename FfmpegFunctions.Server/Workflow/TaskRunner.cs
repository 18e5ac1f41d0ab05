using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Workflow.Steps;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// Runs one claimed fan-out task (a segment) on this instance, whichever instance owns its job, in the
/// <see cref="StepHost"/> under a <see cref="LeaseKeeper"/> heartbeat like a job's; the outcome goes on the task's row:
/// its result, or a failure (retried alone by the retry policy, or final when permanent).
/// A helper (an instance that does not own the job) removes its local copies of the job's inputs once it runs
/// none of the job's tasks and none wait to be claimed: the owner's cleanup only reaches its own disk.
/// </summary>
public sealed class TaskRunner(
    JobTasks tasks, StepHost host, LeaseKeeper keeper, JobWorkspace workspace, IOptions<WorkflowEngineOptions> options,
    IOptions<WorkflowRetryOptions> retry, ILogger<TaskRunner> logger)
{
    // Tasks of each job running in this process now, so the local copies are not removed under one of them.
    private readonly Dictionary<Guid, int> runningPerJob = [];

    /// <param name="stoppingToken">Shutdown (or, for the job's owner, the end of its run): the task is handed back, not failed.</param>
    public async Task RunAsync(ClaimedTask task, CancellationToken stoppingToken)
    {
        var owner = options.Value.InstanceId;
        var policy = retry.Value.Policy;
        if (!WorkflowSteps.FannedOut.TryGetValue(task.Step, out var step))
        {
            await tasks.FailAsync(task, owner, $"No step '{task.Step}' can run as a task.", null, CancellationToken.None);
            return;
        }
        if (task.Attempts > policy.MaxAttempts)
        {
            // Its claimers died under it every time (e.g. killed for memory): stop trying.
            await tasks.FailAsync(task, owner, $"{task.Key} was interrupted {policy.MaxAttempts} times; giving up.", null, CancellationToken.None);
            return;
        }

        lock (runningPerJob) runningPerJob[task.JobId] = runningPerJob.GetValueOrDefault(task.JobId) + 1;
        try
        {
            await RunClaimedAsync(task, owner, step, policy, stoppingToken);
        }
        finally
        {
            await ReleaseLocalCopiesAsync(task, owner);
        }
    }

    private async Task RunClaimedAsync(ClaimedTask task, string owner, IFannedOutStep step, RetryPolicy policy, CancellationToken stoppingToken)
    {
        using var taskRun = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stop = new StepStop();
        var lease = options.Value.LeaseDuration;
        var heartbeat = keeper.KeepAsync($"task {task.Key} of job {task.JobId}", (deadline, ct) => tasks.RenewAsync(task, owner, lease, deadline, ct), stop, taskRun);
        WorkflowEngineLog.TaskStarted(logger, task.Key, task.CompositionId, task.Attempts);
        try
        {
            // The task's own row is its claim (CompleteAsync and FailAsync check owner and attempt), and it records itself there.
            var run = new StepRun(ClaimGuard.Always, task.Attempts, owner, stop, Record: false);
            var outcome = await step.RunJsonAsync(host, task.InputJson, run, taskRun.Token);
            switch (outcome.Kind)
            {
                case StepOutcomeKind.Done:
                    await tasks.CompleteAsync(task, owner, outcome.Value!, CancellationToken.None);
                    WorkflowEngineLog.TaskCompleted(logger, task.Key, task.CompositionId);
                    break;
                case StepOutcomeKind.FailedPermanently or StepOutcomeKind.FailedTransiently:
                    var (retryAfter, reason) = outcome.Retry(policy, task.Attempts, Random.Shared.NextDouble());
                    await tasks.FailAsync(task, owner, reason, retryAfter, CancellationToken.None);
                    break;
                default:
                    // Stopped (the host cleaned up) or the claim moved on: nothing of ours counts any more.
                    WorkflowEngineLog.TaskStopped(logger, task.Key, task.CompositionId);
                    break;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await tasks.ReleaseAsync(task, owner, CancellationToken.None);
        }
        catch (OperationCanceledException) when (taskRun.IsCancellationRequested)
        {
            // The heartbeat lost the task's lease.
            WorkflowEngineLog.TaskStopped(logger, task.Key, task.CompositionId);
        }
        finally
        {
            await taskRun.CancelAsync();
            await heartbeat;
        }
    }

    private async Task ReleaseLocalCopiesAsync(ClaimedTask task, string owner)
    {
        bool last;
        lock (runningPerJob)
        {
            last = --runningPerJob[task.JobId] == 0;
            if (last) runningPerJob.Remove(task.JobId);
        }
        if (!last) return;
        try
        {
            if (await tasks.NeedsLocalCopiesAsync(task.JobId, owner, CancellationToken.None)) return;
            lock (runningPerJob) if (runningPerJob.ContainsKey(task.JobId)) return; // claimed another meanwhile
            workspace.DeleteLocalCopies(task.RenderJobId);
        }
        catch (Exception ex)
        {
            // Disk space only: the next task of the job, or none, finds them.
            WorkflowEngineLog.LocalCopiesKept(logger, ex, task.JobId);
        }
    }
}
