using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>One segment's video, encoded alone and parked under temp/{jobId}/segments/ for the join; run by any worker.</summary>
public sealed class RenderSegmentStep(WorkLoader loader, RenderPlanStore plans, RenderPlanner planner, PartRendering parts) : IStep<SegmentInput, RenderedPart>
{
    /// <param name="run">Unused: a fanned-out task's own claim (owner and attempt on its row) decides whether its result counts.</param>
    public async Task<RenderedPart> RunAsync(SegmentInput input, StepRun run, CancellationToken cancellationToken)
    {
        var render = input.Render;
        var work = await loader.ForPartAsync(render, cancellationToken);
        var probed = await parts.ProbedAsync(render, cancellationToken);
        var windows = await plans.GetWindowsAsync(render, cancellationToken);
        if (input.Index < 0 || input.Index >= windows.Count)
            throw new PermanentStepException($"The plan has {windows.Count} segments; there is no segment {input.Index}.");
        var window = windows[input.Index];
        var total = windows.Sum(w => w.Frames);
        var key = $"{StorageKeys.TempPrefix(render.JobId)}segments/{input.Index:D4}.{StorageKeys.Extension(work.Spec.Output.Format)}";
        return await parts.RenderAsync(render, work, probed, key, $"segment {input.Index}", PartRendering.SegmentsWeight * window.Frames / total,
            (local, path) => planner.PlanSegment(work.Spec, local, window, path), cancellationToken);
    }
}
