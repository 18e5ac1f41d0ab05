namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// The one thing a workflow may do: call a step (a typed <see cref="WorkflowStep{TInput, TResult}"/>) with a small
/// input and get its small result. Shaped after Durable Task's <c>TaskOrchestrationContext.CallActivityAsync&lt;T&gt;(name, input, options)</c>
/// so the Functions host adapts it in a few lines; the Server's PostgreSQL engine implements it with
/// checkpoints. Implementations retry transient failures themselves and throw
/// <see cref="StepFailedException"/> once a step has failed for good.
/// </summary>
public interface IWorkflowContext
{
    Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input) where TInput : notnull;

    /// <summary>
    /// Fan-out and fan-in: the step once per input, all at the same time, results in input order. Each call is retried
    /// on its own. By default these are plain parallel calls (Durable Task schedules each as an activity, on any
    /// worker); the Server's engine makes each a task that any instance can claim.
    /// </summary>
    async Task<IReadOnlyList<TResult>> CallStepsAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, IReadOnlyList<TInput> inputs) where TInput : notnull =>
        await Task.WhenAll(inputs.Select(input => CallStepAsync(step, input)));
}

/// <summary>A step failed for good: a permanent error, or transient ones until the retries ran out.</summary>
public sealed class StepFailedException(string step, string reason, Exception? inner = null)
    : Exception($"Step '{step}' failed: {reason}", inner)
{
    public string Step { get; } = step;
    public string Reason { get; } = reason;
}

/// <summary>The composition was cancelled or deleted while its workflow ran: stop quietly, this is not a failure.</summary>
public sealed class CompositionStoppedException(Guid compositionId, string status)
    : OperationCanceledException($"The composition {compositionId} was {status}.");

/// <summary>Thrown by a step for failures that retrying cannot fix (missing input, invalid media, an impossible spec).</summary>
public sealed class PermanentStepException(string reason, Exception? inner = null) : Exception(reason, inner);
