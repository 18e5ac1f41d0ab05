using System.Diagnostics;
using System.Text.Json;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// Runs one claimed job's steps: a step with a checkpoint returns its recorded result (that is how a
/// restarted job resumes), otherwise it runs and its result is checkpointed under the lease.
/// </summary>
internal sealed class PostgresWorkflowContext(
    ClaimedJob job,
    string owner,
    JobQueue queue,
    JobTasks tasks,
    TaskRunner taskRunner,
    RenderSteps steps,
    WorkflowEngineOptions options,
    TimeProvider clock,
    CancellationToken runToken) : IWorkflowContext
{
    private readonly JobFence fence = new(job.Id, owner, job.Attempts);

    public async Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> workflowStep, TInput input) where TInput : notnull
    {
        var step = workflowStep.Name;
        var recorded = await queue.GetCheckpointAsync(job.Id, step, runToken);
        if (recorded is not null)
        {
            // Resumed from a checkpoint: the step ran in an earlier attempt (and was traced there).
            Activity.Current?.AddEvent(new ActivityEvent("checkpoint " + step));
            return JsonSerializer.Deserialize<TResult>(recorded, JsonSerializerOptions.Web)!;
        }

        using var activity = Telemetry.Source.StartActivity("step " + step);
        activity?.SetTag("workflow.step", step);
        activity?.SetTag("workflow.attempt", job.Attempts);
        var startedAt = clock.GetUtcNow();
        TResult result;
        try
        {
            result = await workflowStep.RunAsync(steps, input, fence, runToken);
        }
        catch (JobClaimLostException)
        {
            throw new LeaseLostException(job.Id);
        }
        catch (PermanentStepException ex)
        {
            activity.Fail(ex);
            throw new StepFailedException(step, ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (runToken.IsCancellationRequested || ex is CompositionStoppedException)
        {
            throw; // stopped: shutdown, lease lost, or the client cancelled; the worker sorts out which
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            // Storage, network, a killed ffmpeg: worth another go, until the attempts run out.
            if (job.Attempts >= job.MaxAttempts)
                throw new StepFailedException(step, $"{ex.Message} (gave up after {job.Attempts} attempts)", ex);
            throw new RetryJobException(step, options.RetryDelay(job.Attempts), ex);
        }

        var json = JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
        if (!await queue.SaveCheckpointAsync(fence, step, json, startedAt, runToken))
            throw new LeaseLostException(job.Id);
        return result;
    }

    /// <summary>
    /// Each input becomes a task (job_tasks) that any instance with a free slot claims, this one included; each
    /// result is checkpointed on its task as it lands, so a crash loses only the tasks running then. This owner
    /// works on its own job's tasks while it waits, and checkpoints the whole fan-out when the last one is in.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> CallStepsAsync<TInput, TResult>(WorkflowStep<TInput, TResult> workflowStep, IReadOnlyList<TInput> inputs) where TInput : notnull
    {
        var step = workflowStep.Name;
        if (await queue.GetCheckpointAsync(job.Id, step, runToken) is { } recorded)
            return JsonSerializer.Deserialize<List<TResult>>(recorded, JsonSerializerOptions.Web)!;

        using var activity = Telemetry.Source.StartActivity("fan-out " + step);
        activity?.SetTag("workflow.tasks", inputs.Count);
        var startedAt = clock.GetUtcNow();
        var keys = inputs.Select((_, i) => $"{step}/{i}").ToList();
        if (!await tasks.EnqueueAsync(fence, [.. keys.Zip(inputs, (k, input) => (k, JsonSerializer.Serialize(input, JsonSerializerOptions.Web)))], runToken))
            throw new LeaseLostException(job.Id);
        while (true)
        {
            var states = (await tasks.GetAsync(job.Id, keys, runToken)).ToDictionary(s => s.Key, StringComparer.Ordinal);
            if (states.Values.FirstOrDefault(s => s.Status == "failed") is { } failed)
            {
                activity?.SetStatus(ActivityStatusCode.Error, failed.Error);
                throw new StepFailedException(failed.Key, failed.Error ?? "The task failed.");
            }
            if (keys.All(k => states.TryGetValue(k, out var s) && s.Status == "completed"))
            {
                var results = keys.Select(k => JsonSerializer.Deserialize<TResult>(states[k].ResultJson!, JsonSerializerOptions.Web)!).ToList();
                if (!await queue.SaveCheckpointAsync(fence, step, JsonSerializer.Serialize(results, JsonSerializerOptions.Web), startedAt, runToken))
                    throw new LeaseLostException(job.Id);
                return results;
            }
            if (await tasks.ClaimAsync(owner, options.LeaseDuration, job.Id, runToken) is { } claimed)
            {
                await taskRunner.RunAsync(claimed, runToken);
                runToken.ThrowIfCancellationRequested();
                continue;
            }
            // The rest are running elsewhere (or waiting out a retry delay).
            await Task.Delay(options.TaskPollInterval, clock, runToken);
        }
    }
}

/// <summary>A transient step failure: the job goes back to the queue and resumes from its checkpoints later.</summary>
internal sealed class RetryJobException(string step, TimeSpan delay, Exception inner)
    : Exception($"Step '{step}' failed and will be retried in {delay.TotalSeconds:0.#} s: {inner.Message}", inner)
{
    public TimeSpan Delay { get; } = delay;
}

/// <summary>Another instance took the job over; this worker must stop without writing anything.</summary>
internal sealed class LeaseLostException(Guid jobId) : Exception($"The lease on job {jobId} was lost.");
