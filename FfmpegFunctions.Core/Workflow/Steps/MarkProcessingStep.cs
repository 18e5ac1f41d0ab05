using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>The render starts: the composition is processing, unless a client stopped it first (then Continue is false).</summary>
public sealed class MarkProcessingStep(RenderJobStore jobs, WorkLoader loader, ICompositionEventSink events, TimeProvider clock) : IStep<RenderInput, StepAck>
{
    public async Task<StepAck> RunAsync(RenderInput input, StepRun run, CancellationToken cancellationToken)
    {
        if (!await jobs.MarkProcessingAsync(input.CompositionId, StepNames.MarkProcessing, run.Guard, cancellationToken))
        {
            await loader.EnsureHeldAsync(input, run.Guard, cancellationToken);
            return new StepAck(false);
        }
        await events.PublishAsync(new StatusEvent(input.CompositionId, CompositionStatus.Processing, clock.GetUtcNow(), StepNames.MarkProcessing), cancellationToken);
        return new StepAck(true);
    }
}
