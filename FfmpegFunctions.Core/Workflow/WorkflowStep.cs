namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// One step of the render workflow as a typed descriptor: its name (the Durable activity's and the checkpoint's)
/// and its input and result types, so every call in both engines is checked by the compiler instead of
/// dispatching on a string and casting.
/// </summary>
public sealed class WorkflowStep<TInput, TResult>(string name, Func<RenderSteps, TInput, JobFence?, CancellationToken, Task<TResult>> run)
    where TInput : notnull
{
    public string Name { get; } = name;

    /// <summary>Runs the step in this process (the Server's engine; the Functions app binds each step to an activity).</summary>
    public Task<TResult> RunAsync(RenderSteps steps, TInput input, JobFence? fence, CancellationToken cancellationToken) =>
        run(steps, input, fence, cancellationToken);

    public override string ToString() => Name;
}

/// <summary>The render workflow's steps.</summary>
public static class RenderStep
{
    public static readonly WorkflowStep<RenderInput, StepAck> MarkProcessing =
        new(RenderSteps.MarkProcessing, (s, input, fence, ct) => s.MarkProcessingAsync(input, ct, fence));

    public static readonly WorkflowStep<RenderInput, ProbedInputs> ProbeInputs =
        new(RenderSteps.ProbeInputs, (s, input, fence, ct) => s.ProbeInputsAsync(input, ct, fence));

    public static readonly WorkflowStep<PlanInput, PlanSummary> Plan =
        new(RenderSteps.Plan, (s, input, fence, ct) => s.PlanAsync(input, ct, fence));

    public static readonly WorkflowStep<RenderStepInput, RenderedOutput> Render =
        new(RenderSteps.Render, (s, input, fence, ct) => s.RenderAsync(input, ct, fence));

    public static readonly WorkflowStep<PublishInput, PublishedOutput> Publish =
        new(RenderSteps.Publish, (s, input, fence, ct) => s.PublishAsync(input, ct, fence));

    public static readonly WorkflowStep<CompleteInput, StepAck> MarkCompleted =
        new(RenderSteps.MarkCompleted, (s, input, fence, ct) => s.MarkCompletedAsync(input, ct, fence));

    public static readonly WorkflowStep<FailInput, StepAck> MarkFailed =
        new(RenderSteps.MarkFailed, (s, input, fence, ct) => s.MarkFailedAsync(input, ct, fence));
}
