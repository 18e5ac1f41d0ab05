using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>Joins the segments by stream copy and muxes the audio (no second encode), then parks output and thumbnail like Render.</summary>
public sealed class JoinStep(
    WorkLoader loader, RenderPlanStore plans, RenderPlanner planner, InputResolver inputs, JobWorkspace workspace, PlanRunner runner) : IStep<JoinInput, RenderedOutput>
{
    public async Task<RenderedOutput> RunAsync(JoinInput input, StepRun run, CancellationToken cancellationToken)
    {
        var render = input.Render;
        var work = await loader.ForStepAsync(render, StepNames.Join, run.Guard, cancellationToken);
        var probed = await plans.GetProbedAsync(render, cancellationToken);
        // Parts rendered here are already on disk; those rendered elsewhere come from temp/.
        var segments = new List<string>(input.SegmentKeys.Count);
        foreach (var key in input.SegmentKeys) segments.Add(await workspace.EnsureLocalAsync(render.JobId, key, cancellationToken));
        var audio = await workspace.EnsureLocalAsync(render.JobId, input.AudioKey, cancellationToken);
        var output = workspace.OutputPath(render.JobId, StorageKeys.Extension(work.Spec.Output.Format));
        var plan = planner.PlanJoin(work.Spec, inputs.LocalInputs(work, probed), segments, audio, output);
        return await runner.RenderOutputAsync(render, work, plan, run.Guard, part: ("join", PartRendering.JoinWeight), cancellationToken);
    }
}
