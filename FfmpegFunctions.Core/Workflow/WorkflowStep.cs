using System.Text.Json;

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

    /// <summary>Runs the step with its input and result as JSON: how a claimed fan-out task (stored as JSON) is run.</summary>
    public async Task<string> RunJsonAsync(RenderSteps steps, string inputJson, JobFence? fence, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<TInput>(inputJson, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"The stored input of step {Name} is empty.");
        return JsonSerializer.Serialize(await run(steps, input, fence, cancellationToken), JsonSerializerOptions.Web);
    }

    public override string ToString() => Name;
}

/// <summary>The render workflow's steps.</summary>
public static class RenderStep
{
    public static readonly WorkflowStep<RenderInput, StepAck> MarkProcessing =
        new(RenderSteps.MarkProcessing, (s, input, fence, ct) => s.MarkProcessingAsync(input, ct, fence));

    public static readonly WorkflowStep<RenderInput, ProbeSummary> ProbeInputs =
        new(RenderSteps.ProbeInputs, (s, input, fence, ct) => s.ProbeInputsAsync(input, ct, fence));

    public static readonly WorkflowStep<RenderInput, PlanSummary> Plan =
        new(RenderSteps.Plan, (s, input, fence, ct) => s.PlanAsync(input, ct, fence));

    public static readonly WorkflowStep<RenderInput, RenderedOutput> Render =
        new(RenderSteps.Render, (s, input, fence, ct) => s.RenderAsync(input, ct, fence));

    /// <summary>Fanned out, one per segment: any instance may run any of them (see <see cref="IWorkflowContext.CallStepsAsync"/>).</summary>
    public static readonly WorkflowStep<SegmentInput, RenderedPart> RenderSegment =
        new(RenderSteps.RenderSegment, (s, input, fence, ct) => s.RenderSegmentAsync(input, ct, fence));

    /// <summary>Steps that may be fanned out, by name: how an engine runs a claimed task from its stored JSON.</summary>
    public static readonly IReadOnlyDictionary<string, Func<RenderSteps, string, CancellationToken, Task<string>>> FannedOut =
        new Dictionary<string, Func<RenderSteps, string, CancellationToken, Task<string>>>(StringComparer.Ordinal)
        {
            // No fence: the task's own claim (owner and attempt on its row) decides whether its result counts.
            [RenderSteps.RenderSegment] = (s, json, ct) => RenderSegment.RunJsonAsync(s, json, null, ct),
        };

    public static readonly WorkflowStep<RenderInput, RenderedPart> RenderAudio =
        new(RenderSteps.RenderAudio, (s, input, fence, ct) => s.RenderAudioAsync(input, ct, fence));

    public static readonly WorkflowStep<JoinInput, RenderedOutput> Join =
        new(RenderSteps.Join, (s, input, fence, ct) => s.JoinAsync(input, ct, fence));

    public static readonly WorkflowStep<PublishInput, PublishedOutput> Publish =
        new(RenderSteps.Publish, (s, input, fence, ct) => s.PublishAsync(input, ct, fence));

    public static readonly WorkflowStep<CompleteInput, StepAck> MarkCompleted =
        new(RenderSteps.MarkCompleted, (s, input, fence, ct) => s.MarkCompletedAsync(input, ct, fence));

    public static readonly WorkflowStep<FailInput, StepAck> MarkFailed =
        new(RenderSteps.MarkFailed, (s, input, fence, ct) => s.MarkFailedAsync(input, ct, fence));
}
