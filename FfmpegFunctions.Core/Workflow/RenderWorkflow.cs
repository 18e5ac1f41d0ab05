using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// The render workflow, written once for both engines. Deterministic: no I/O, clocks or randomness
/// here, only step calls, so Durable Task can replay it and the PostgreSQL engine can resume it from
/// its last checkpoint.
/// </summary>
public static class RenderWorkflow
{
    public const string Name = "RenderComposition";

    public static async Task<RenderOutcome> RunAsync(IWorkflowContext context, RenderInput input)
    {
        try
        {
            var started = await context.CallStepAsync(WorkflowSteps.MarkProcessing, input);
            if (!started.Continue) return new RenderOutcome(input.CompositionId, CompositionStatus.Cancelled);

            await context.CallStepAsync(WorkflowSteps.ProbeInputs, input);
            var plan = await context.CallStepAsync(WorkflowSteps.Plan, input);
            var rendered = plan.Segments > 1
                ? await RenderInSegmentsAsync(context, input, plan.Segments)
                : await context.CallStepAsync(WorkflowSteps.Render, input);
            var published = await context.CallStepAsync(WorkflowSteps.Publish, new PublishInput(input, rendered));
            var completed = await context.CallStepAsync(WorkflowSteps.MarkCompleted, new CompleteInput(input, published));

            return completed.Continue
                ? new RenderOutcome(input.CompositionId, CompositionStatus.Completed, OutputKey: published.OutputKey)
                : new RenderOutcome(input.CompositionId, CompositionStatus.Cancelled);
        }
        catch (StepFailedException failure)
        {
            await context.CallStepAsync(WorkflowSteps.MarkFailed, new FailInput(input, failure.Step, failure.Reason));
            return new RenderOutcome(input.CompositionId, CompositionStatus.Failed, failure.Reason);
        }
    }

    /// <summary>Fan-out (every segment, and the audio alongside them), then fan-in: the join.</summary>
    private static async Task<RenderedOutput> RenderInSegmentsAsync(IWorkflowContext context, RenderInput input, int segments)
    {
        var audio = context.CallStepAsync(WorkflowSteps.RenderAudio, input);
        var parts = context.CallStepsAsync(WorkflowSteps.RenderSegment, [.. Enumerable.Range(0, segments).Select(i => new SegmentInput(input, i))]);
        // Waits for both to settle, then throws the first failure: the audio's, else a segment's.
        await Task.WhenAll(audio, parts);
        var (rendered, sound) = (await parts, await audio);
        return await context.CallStepAsync(WorkflowSteps.Join, new JoinInput(input, [.. rendered.Select(p => p.Key)], sound.Key));
    }
}
