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
            var started = await context.CallStepAsync(RenderStep.MarkProcessing, input);
            if (!started.Continue) return new RenderOutcome(input.CompositionId, CompositionStatus.Cancelled);

            var probed = await context.CallStepAsync(RenderStep.ProbeInputs, input);
            await context.CallStepAsync(RenderStep.Plan, new PlanInput(input, probed));
            var rendered = await context.CallStepAsync(RenderStep.Render, new RenderStepInput(input, probed));
            var published = await context.CallStepAsync(RenderStep.Publish, new PublishInput(input, rendered));
            var completed = await context.CallStepAsync(RenderStep.MarkCompleted, new CompleteInput(input, published));

            return completed.Continue
                ? new RenderOutcome(input.CompositionId, CompositionStatus.Completed, OutputKey: published.OutputKey)
                : new RenderOutcome(input.CompositionId, CompositionStatus.Cancelled);
        }
        catch (StepFailedException failure)
        {
            await context.CallStepAsync(RenderStep.MarkFailed, new FailInput(input, failure.Step, failure.Reason));
            return new RenderOutcome(input.CompositionId, CompositionStatus.Failed, failure.Reason);
        }
    }
}
