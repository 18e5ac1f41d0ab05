using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>The whole timeline's audio, mixed and encoded once, parked under temp/{jobId}/ for the join.</summary>
public sealed class RenderAudioStep(WorkLoader loader, RenderPlanner planner, PartRendering parts) : IStep<RenderInput, RenderedPart>
{
    public async Task<RenderedPart> RunAsync(RenderInput input, StepRun run, CancellationToken cancellationToken)
    {
        // Run once, by the job's owner, as the fan-out starts: to clients the job is in its Render step, as in a single pass.
        var work = await loader.ForStepAsync(input, StepNames.Render, run.Guard, cancellationToken);
        var probed = await parts.ProbedAsync(input, cancellationToken);
        var key = $"{StorageKeys.TempPrefix(input.JobId)}audio.{StorageKeys.Extension(work.Spec.Output.Format)}";
        return await parts.RenderAsync(input, work, probed, key, "audio", PartRendering.AudioWeight,
            (local, path) => planner.PlanAudio(work.Spec, local, path), cancellationToken);
    }
}
