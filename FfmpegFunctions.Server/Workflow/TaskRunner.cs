using FfmpegFunctions.Core.Workflow;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// Runs one claimed fan-out task (a segment) on this instance, whichever instance owns its job: renews the task's
/// lease and stops it within a heartbeat when its job is cancelled, deleted or failed; records the result, or the
/// failure (retried alone with backoff until Workflow:MaxAttempts, or at once final when permanent).
/// A helper (an instance that does not own the job) removes its local copies of the job's inputs once it runs
/// none of the job's tasks and none wait to be claimed: the owner's cleanup only reaches its own disk.
/// </summary>
public sealed class TaskRunner(
    JobTasks tasks, RenderSteps steps, IOptions<WorkflowEngineOptions> options, IOptions<WorkflowRetryOptions> retry, ILogger<TaskRunner> logger)
{
    // Tasks of each job running in this process now, so the local copies are not removed under one of them.
    private readonly Dictionary<Guid, int> runningPerJob = [];

    /// <param name="stoppingToken">Shutdown (or, for the job's owner, the end of its run): the task is handed back, not failed.</param>
    public async Task RunAsync(ClaimedTask task, CancellationToken stoppingToken)
    {
        var owner = options.Value.InstanceId;
        if (!RenderStep.FannedOut.TryGetValue(task.Step, out var run))
        {
            await tasks.FailAsync(task, owner, $"No step '{task.Step}' can run as a task.", null, CancellationToken.None);
            return;
        }
        if (task.Attempts > retry.Value.MaxAttempts)
        {
            // Its claimers died under it every time (e.g. killed for memory): stop trying.
            await tasks.FailAsync(task, owner, $"{task.Key} was interrupted {retry.Value.MaxAttempts} times; giving up.", null, CancellationToken.None);
            return;
        }

        lock (runningPerJob) runningPerJob[task.JobId] = runningPerJob.GetValueOrDefault(task.JobId) + 1;
        try
        {
            await RunClaimedAsync(task, owner, run, stoppingToken);
        }
        finally
        {
            await ReleaseLocalCopiesAsync(task, owner);
        }
    }

    private async Task RunClaimedAsync(ClaimedTask task, string owner, Func<RenderSteps, string, CancellationToken, Task<string>> run, CancellationToken stoppingToken)
    {
        using var taskRun = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var stopped = new StrongFlag();
        var heartbeat = HeartbeatAsync(task, owner, taskRun, stopped);
        WorkflowEngineLog.TaskStarted(logger, task.Key, task.CompositionId, task.Attempts);
        try
        {
            var result = await run(steps, task.InputJson, taskRun.Token);
            await tasks.CompleteAsync(task, owner, result, CancellationToken.None);
            WorkflowEngineLog.TaskCompleted(logger, task.Key, task.CompositionId);
        }
        catch (PermanentStepException ex)
        {
            await tasks.FailAsync(task, owner, ex.Message, null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await tasks.ReleaseAsync(task, owner, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopped.Value || taskRun.IsCancellationRequested)
        {
            // The job stopped or the claim moved on: nothing of ours counts any more.
            WorkflowEngineLog.TaskStopped(logger, task.Key, task.CompositionId);
        }
        catch (CompositionStoppedException)
        {
            WorkflowEngineLog.TaskStopped(logger, task.Key, task.CompositionId);
        }
        catch (Exception ex)
        {
            var final = task.Attempts >= retry.Value.MaxAttempts;
            WorkflowEngineLog.TaskFailed(logger, ex, task.Key, task.CompositionId, task.Attempts);
            await tasks.FailAsync(task, owner, final ? $"{ex.Message} (gave up after {task.Attempts} attempts)" : ex.Message,
                final ? null : options.Value.RetryDelay(task.Attempts), CancellationToken.None);
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
            steps.DeleteLocalCopies(task.RenderJobId);
        }
        catch (Exception ex)
        {
            // Disk space only: the next task of the job, or none, finds them.
            WorkflowEngineLog.LocalCopiesKept(logger, ex, task.JobId);
        }
    }

    private async Task HeartbeatAsync(ClaimedTask task, string owner, CancellationTokenSource run, StrongFlag stopped)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                try
                {
                    if (await tasks.RenewAsync(task, owner, options.Value.LeaseDuration, run.Token)) continue;
                    stopped.Value = true;
                    await run.CancelAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again; the lease is many heartbeats long.
                    WorkflowEngineLog.HeartbeatFailed(logger, ex, task.JobId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class StrongFlag
    {
        public volatile bool Value;
    }
}
