using System.Diagnostics;
using System.Text.Json;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// The Server's adapter of <see cref="IWorkflowContext"/> for one claimed job: a step already in job_steps returns its
/// recorded result (that is how a reclaimed job resumes); any other runs in the <see cref="StepHost"/> under the claim,
/// and its outcome becomes this engine's move: a retry of the whole job later, a stop, a failure, a lost claim.
/// </summary>
internal sealed class PostgresWorkflowContext(
    ClaimedJob job, StepRun run, RetryPolicy retry, StepHost host, StepJournal journal, JobTasks tasks, TaskRunner taskRunner,
    WorkflowEngineOptions options, TimeProvider clock, CancellationToken runToken) : IWorkflowContext
{
    public async Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input) where TInput : IStepInput
    {
        var key = step.KeyOf(input);
        if (await journal.GetResultAsync(job.CompositionId, key, runToken) is { } recorded)
        {
            // Resumed: the step ran in an earlier attempt (and was traced there).
            Activity.Current?.AddEvent(new ActivityEvent("checkpoint " + key));
            return JsonSerializer.Deserialize<TResult>(recorded, JsonSerializerOptions.Web)!;
        }
        return Resolve(key, await host.RunAsync(step, input, run, runToken));
    }

    /// <summary>
    /// Each input becomes a task (job_tasks) that any instance with a free slot claims, this one included; each result
    /// is recorded on its task as it lands, so a crash loses only the tasks running then. The owner works on its own
    /// job's tasks while it waits, and records the whole fan-out in job_steps when the last one is in.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> CallStepsAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, IReadOnlyList<TInput> inputs) where TInput : IStepInput
    {
        var render = new RenderInput(job.CompositionId, job.JobId);
        if (await journal.GetResultAsync(job.CompositionId, step.Name, runToken) is { } recorded)
            return JsonSerializer.Deserialize<List<TResult>>(recorded, JsonSerializerOptions.Web)!;

        using var activity = FfmpegFunctions.Core.Observability.Telemetry.Source.StartActivity("fan-out " + step.Name);
        activity?.SetTag("workflow.tasks", inputs.Count);
        var startedAt = clock.GetUtcNow();
        var keys = inputs.Select(step.KeyOf).ToList();
        if (!await tasks.EnqueueAsync(job.Fence(run.Owner), [.. keys.Zip(inputs, (k, input) => (k, JsonSerializer.Serialize(input, JsonSerializerOptions.Web)))], runToken))
            throw new ClaimLostException(job.CompositionId);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(runToken, run.Stop.Token);
        try
        {
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
                    if (!await journal.CompleteAsync(job.CompositionId, step.Name, JsonSerializer.Serialize(results, JsonSerializerOptions.Web), run, startedAt, runToken))
                        throw new ClaimLostException(job.CompositionId);
                    return results;
                }
                if (run.Stop.Reason is null && await tasks.ClaimAsync(run.Owner, options.LeaseDuration, job.Id, null, runToken) is { } claimed)
                {
                    await taskRunner.RunAsync(claimed, runToken);
                    runToken.ThrowIfCancellationRequested();
                    continue;
                }
                // The rest run elsewhere (or wait out a retry delay).
                await Task.Delay(options.TaskPollInterval, clock, waiting.Token);
            }
        }
        catch (OperationCanceledException) when (run.Stop.Reason is { } status && !runToken.IsCancellationRequested)
        {
            await host.StoppedAsync<TResult>(render, step.Name, status);
            throw new CompositionStoppedException(job.CompositionId, status);
        }
    }

    private TResult Resolve<TResult>(string key, StepOutcome<TResult> outcome)
    {
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Done: return outcome.Value!;
            case StepOutcomeKind.Stopped: throw new CompositionStoppedException(job.CompositionId, outcome.Reason!);
            case StepOutcomeKind.ClaimLost: throw new ClaimLostException(job.CompositionId);
        }
        // A transient failure hands the whole job back, to resume from job_steps after the delay.
        var (retryAfter, reason) = outcome.Retry(retry, job.Attempts, Random.Shared.NextDouble());
        throw retryAfter is { } delay ? new RetryJobException(key, delay, outcome.Error!) : new StepFailedException(key, reason, outcome.Error);
    }
}
