using FfmpegFunctions.Core.Workflow;
using Microsoft.DurableTask;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// Core's step-calling port over Durable Task: a step is an activity of the same name, returning a
/// <see cref="StepResult{T}"/>. Transient failures are retried by Durable Task itself (durable timers between
/// attempts, so a waiting retry costs nothing); a step that failed for good surfaces as Core's
/// <see cref="StepFailedException"/>, which the workflow turns into MarkFailed. A step that found its
/// composition cancelled or deleted surfaces as <see cref="CompositionStoppedException"/>: the orchestrator
/// ends quietly, without MarkFailed.
/// </summary>
public sealed class DurableWorkflowContext(TaskOrchestrationContext context, Guid compositionId, TaskOptions stepOptions) : IWorkflowContext
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Workflow:MaxAttempts attempts (Core's <see cref="WorkflowRetryOptions"/>, the same setting as the Server's
    /// engine), 5 s then 10 s then 20 s... apart; permanent failures and stopped compositions are not retried.</summary>
    public static TaskOptions StepOptions(int maxAttempts) =>
        TaskOptions.FromRetryHandler(new AsyncRetryHandler(retry => RetryTransientAsync(retry, maxAttempts)));

    public async Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> workflowStep, TInput input) where TInput : notnull
    {
        var step = workflowStep.Name;
        StepResult<TResult> result;
        try
        {
            result = await context.CallActivityAsync<StepResult<TResult>>(step, input, stepOptions);
        }
        catch (TaskFailedException ex) when (IsStopped(ex.FailureDetails))
        {
            throw new CompositionStoppedException(compositionId, "cancelled");
        }
        catch (TaskFailedException ex)
        {
            throw new StepFailedException(step, Reason(ex.FailureDetails), ex);
        }
        if (result.StoppedAs is { } status) throw new CompositionStoppedException(compositionId, status);
        return result.Value!;
    }

    // Runs inside the orchestrator, so it must be deterministic: it only reads the failure and starts a durable timer.
    private static async Task<bool> RetryTransientAsync(RetryContext retry, int maxAttempts)
    {
        if (retry.LastAttemptNumber >= maxAttempts || IsFinal(retry.LastFailure)) return false;
        var delay = FirstRetryDelay * Math.Pow(2, retry.LastAttemptNumber - 1);
        await retry.OrchestrationContext.CreateTimer(delay, retry.CancellationToken);
        return true;
    }

    /// <summary>
    /// Only a permanent step error or a stopped composition is final. Any other cancellation is transient: an
    /// S3 or HTTP timeout (TaskCanceledException), a host shutdown or a scale-in cancels the step, and the same
    /// step on another attempt (or instance) can succeed.
    /// </summary>
    // The whole chain is checked: depending on the extension version the activity's exception arrives
    // as the failure itself or as an inner failure of a wrapper.
    internal static bool IsFinal(TaskFailureDetails failure) =>
        Chain(failure).Any(f => f.IsCausedBy<PermanentStepException>()) || IsStopped(failure);

    private static bool IsStopped(TaskFailureDetails? failure) => Chain(failure).Any(f => f.IsCausedBy<CompositionStoppedException>());

    /// <summary>The step's own message (e.g. "The input 'x' does not exist in storage."), not the wrapper's.</summary>
    private static string Reason(TaskFailureDetails failure)
    {
        var chain = Chain(failure).ToList();
        var cause = chain.FirstOrDefault(f => f.IsCausedBy<PermanentStepException>()) ?? chain[^1];
        return cause.ErrorMessage;
    }

    private static IEnumerable<TaskFailureDetails> Chain(TaskFailureDetails? failure)
    {
        for (; failure is not null; failure = failure.InnerFailure) yield return failure;
    }
}
