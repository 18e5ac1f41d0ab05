using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>Plans against the probed media, so impossible specs fail here, before any encoding; decides the segments
/// once (stored for the steps that render them).</summary>
public sealed class PlanStep(
    WorkLoader loader, RenderPlanStore plans, RenderPlanner planner, InputResolver inputs, JobWorkspace workspace,
    IOptions<RenderOptions> options) : IStep<RenderInput, PlanSummary>
{
    public async Task<PlanSummary> RunAsync(RenderInput input, StepRun run, CancellationToken cancellationToken)
    {
        var work = await loader.ForStepAsync(input, StepNames.Plan, run.Guard, cancellationToken);
        var local = inputs.LocalInputs(work, await plans.GetProbedAsync(input, cancellationToken));
        var plan = Plans.OrPermanent(() => planner.Plan(work.Spec, local, Path.Combine(workspace.JobDirectory(input.JobId), "out", "plan-check")));
        var windows = planner.Windows(work.Spec, local, options.Value.SegmentSeconds);
        await loader.EnsureHeldAsync(input, run.Guard, cancellationToken);
        await plans.SaveWindowsAsync(input, windows, cancellationToken);
        return new PlanSummary(plan.Duration, plan.Output.Width, plan.Output.Height, StorageKeys.Extension(plan.Output.Format), windows.Count);
    }
}
