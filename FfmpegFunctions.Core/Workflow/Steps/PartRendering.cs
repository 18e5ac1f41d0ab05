using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>What the parts of a segment-parallel render share: each renders its own plan from the inputs it reads,
/// parks the result under temp/{jobId}/ and reports as a weighted share of the job's progress.</summary>
public sealed class PartRendering(RenderPlanStore plans, InputResolver inputs, JobWorkspace workspace, PlanRunner runner)
{
    // Shares of the progress bar: the segments by their frames, then the audio and the join.
    public const double SegmentsWeight = 0.85;
    public const double AudioWeight = 0.10;
    public const double JoinWeight = 0.05;

    public Task<ProbedInputs> ProbedAsync(RenderInput render, CancellationToken cancellationToken) => plans.GetProbedAsync(render, cancellationToken);

    public async Task<RenderedPart> RenderAsync(
        RenderInput render, CompositionWork work, ProbedInputs probed, string key, string part, double weight,
        Func<IReadOnlyDictionary<string, LocalInput>, string, RenderPlan> planPart, CancellationToken cancellationToken)
    {
        // The captions file is read while planning (it becomes an .ass file); media only when ffmpeg runs.
        foreach (var source in probed.Sources.Where(s => s.Source == work.Spec.Captions?.Source))
            await workspace.EnsureLocalAsync(render.JobId, source.Key, cancellationToken);
        var path = workspace.LocalPath(render.JobId, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var plan = Plans.OrPermanent(() => planPart(inputs.LocalInputs(work, probed), path));
        // A segment of a long timeline reads a few of its clips: download those, not every input of the composition.
        foreach (var source in probed.Sources.Where(s => Plans.Reads(plan, workspace.LocalPath(render.JobId, s.Key))))
            await workspace.EnsureLocalAsync(render.JobId, source.Key, cancellationToken);
        return await runner.RenderPartAsync(render, plan, key, part, weight, cancellationToken);
    }
}
