using System.Text.Json;
using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Workflow.Steps;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// One step of the render workflow as a typed descriptor: its name (the Durable activity's and the checkpoint's), its
/// input and result types, and which handler runs it, so every call in both engines is checked by the compiler
/// instead of dispatching on a string and casting.
/// </summary>
/// <param name="stoppable">false for the final steps: they are quick, status-guarded, and must finish their cleanup
/// even when a client stops the composition meanwhile.</param>
/// <param name="key">The step's key in job_steps when one step runs several times in a render (a segment's index).</param>
public sealed class WorkflowStep<TInput, TResult>(
    string name, Func<StepHandlers, IStep<TInput, TResult>> handler, bool stoppable = true, Func<TInput, string>? key = null) : IFannedOutStep
    where TInput : IStepInput
{
    public string Name { get; } = name;

    public bool Stoppable { get; } = stoppable;

    public string KeyOf(TInput input) => key?.Invoke(input) ?? Name;

    public Task<TResult> RunAsync(StepHandlers steps, TInput input, StepRun run, CancellationToken cancellationToken) =>
        handler(steps).RunAsync(input, run, cancellationToken);

    /// <summary>Runs the step in the host with its input and result as JSON: how a claimed fan-out task (stored as JSON) runs.</summary>
    public async Task<StepOutcome<string>> RunJsonAsync(StepHost host, string inputJson, StepRun run, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<TInput>(inputJson, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"The stored input of step {Name} is empty.");
        var outcome = await host.RunAsync(this, input, run, cancellationToken);
        return outcome.Map(result => JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
    }

    public override string ToString() => Name;
}

/// <summary>A step an engine can run from stored JSON (a fanned-out task claimed by any instance).</summary>
public interface IFannedOutStep
{
    Task<StepOutcome<string>> RunJsonAsync(StepHost host, string inputJson, StepRun run, CancellationToken cancellationToken);
}

/// <summary>The render workflow's steps.</summary>
public static class WorkflowSteps
{
    public static readonly WorkflowStep<RenderInput, StepAck> MarkProcessing = new(StepNames.MarkProcessing, s => s.MarkProcessing);

    public static readonly WorkflowStep<RenderInput, ProbeSummary> ProbeInputs = new(StepNames.ProbeInputs, s => s.ProbeInputs);

    public static readonly WorkflowStep<RenderInput, PlanSummary> Plan = new(StepNames.Plan, s => s.Plan);

    public static readonly WorkflowStep<RenderInput, RenderedOutput> Render = new(StepNames.Render, s => s.Render);

    /// <summary>Fanned out, one per segment: any instance may run any of them (see <see cref="IWorkflowContext.CallStepsAsync"/>).</summary>
    public static readonly WorkflowStep<SegmentInput, RenderedPart> RenderSegment =
        new(StepNames.RenderSegment, s => s.RenderSegment, key: input => $"{StepNames.RenderSegment}/{input.Index}");

    public static readonly WorkflowStep<RenderInput, RenderedPart> RenderAudio = new(StepNames.RenderAudio, s => s.RenderAudio);

    public static readonly WorkflowStep<JoinInput, RenderedOutput> Join = new(StepNames.Join, s => s.Join);

    public static readonly WorkflowStep<PublishInput, PublishedOutput> Publish = new(StepNames.Publish, s => s.Publish);

    public static readonly WorkflowStep<CompleteInput, StepAck> MarkCompleted = new(StepNames.MarkCompleted, s => s.MarkCompleted, stoppable: false);

    public static readonly WorkflowStep<FailInput, StepAck> MarkFailed = new(StepNames.MarkFailed, s => s.MarkFailed, stoppable: false);

    /// <summary>Steps that may be fanned out, by name: how an engine runs a claimed task from its stored JSON.</summary>
    public static readonly IReadOnlyDictionary<string, IFannedOutStep> FannedOut =
        new Dictionary<string, IFannedOutStep>(StringComparer.Ordinal) { [StepNames.RenderSegment] = RenderSegment };
}
