namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// The one thing a workflow may do: call a step (a typed <see cref="WorkflowStep{TInput, TResult}"/>) with a small
/// input and get its small result. Shaped after Durable Task's <c>TaskOrchestrationContext.CallActivityAsync&lt;T&gt;(name, input, options)</c>
/// so the Functions host adapts it in a few lines; the Server's PostgreSQL engine implements it with
/// checkpoints. Both run each step through the <see cref="Hosting.StepHost"/>, retry transient failures by the same
/// <see cref="Hosting.RetryPolicy"/>, and throw <see cref="StepFailedException"/> once a step has failed for good and
/// <see cref="CompositionStoppedException"/> when a client stopped the composition.
/// </summary>
public interface IWorkflowContext
{
    Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input) where TInput : IStepInput;

    /// <summary>
    /// Fan-out and fan-in: the step once per input, all at the same time, results in input order. Each call is retried
    /// on its own. By default these are plain parallel calls (Durable Task schedules each as an activity, on any
    /// worker); the Server's engine makes each a task that any instance can claim.
    /// </summary>
    async Task<IReadOnlyList<TResult>> CallStepsAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, IReadOnlyList<TInput> inputs) where TInput : IStepInput =>
        await Task.WhenAll(inputs.Select(input => CallStepAsync(step, input)));
}
