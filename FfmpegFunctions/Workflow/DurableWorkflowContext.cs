using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using RetryPolicy = FfmpegFunctions.Core.Workflow.Hosting.RetryPolicy;
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
public sealed class DurableWorkflowContext(TaskOrchestrationContext context, Guid compositionId, RetryPolicy retry) : IWorkflowContext
{
    private readonly TaskOptions stepOptions = StepOptions(retry);

    /// <summary>The render's captured retry policy (Core's <see cref="RetryPolicy"/>, the Server's engine's too):
    /// its attempts and backoff; permanent failures and stopped compositions are not retried.</summary>
    public static TaskOptions StepOptions(RetryPolicy retry) =>
        TaskOptions.FromRetryHandler(new AsyncRetryHandler(attempt => RetryTransientAsync(attempt, retry)));

    public async Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input) where TInput : IStepInput
    {
        StepResult<TResult> result;
        try
        {
            result = await context.CallActivityAsync<StepResult<TResult>>(step.Name, input, stepOptions);
        }
        catch (TaskFailedException ex) when (IsStopped(ex.FailureDetails))
        {
            throw new CompositionStoppedException(compositionId, "cancelled");
        }
        catch (TaskFailedException ex)
        {
            throw new StepFailedException(step.KeyOf(input), Reason(ex.FailureDetails), ex);
        }
        if (result.StoppedAs is { } status) throw new CompositionStoppedException(compositionId, status);
        return result.Value!;
    }

    // Runs inside the orchestrator, so it must be deterministic: it reads the failure, the captured policy and the
    // orchestration's replay-safe random (NewGuid), and starts a durable timer.
    private static async Task<bool> RetryTransientAsync(RetryContext attempt, RetryPolicy retry)
    {
        if (IsFinal(attempt.LastFailure)) return false;
        var jitter = BitConverter.ToUInt32(attempt.OrchestrationContext.NewGuid().ToByteArray(), 0) / (uint.MaxValue + 1.0);
        if (retry.NextDelay(attempt.LastAttemptNumber, jitter) is not { } delay) return false;
        await attempt.OrchestrationContext.CreateTimer(delay, attempt.CancellationToken);
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
