using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>The whole composition in one pass; output and thumbnail parked under temp/{jobId}/ for Publish.</summary>
public sealed class RenderStep(
    WorkLoader loader, RenderPlanStore plans, RenderPlanner planner, InputResolver inputs, JobWorkspace workspace, PreviewProxies proxies,
    PlanRunner runner) : IStep<RenderInput, RenderedOutput>
{
    public async Task<RenderedOutput> RunAsync(RenderInput input, StepRun run, CancellationToken cancellationToken)
    {
        var work = await loader.ForStepAsync(input, StepNames.Render, run.Guard, cancellationToken);
        var probed = await plans.GetProbedAsync(input, cancellationToken);
        foreach (var source in probed.Sources) await workspace.EnsureLocalAsync(input.JobId, source.Key, cancellationToken);
        if (work.Spec.Output.Preview) probed = await WithProxiesAsync(input.JobId, probed, cancellationToken);
        var output = workspace.OutputPath(input.JobId, StorageKeys.Extension(work.Spec.Output.Format));
        var plan = Plans.OrPermanent(() => planner.Plan(work.Spec, inputs.LocalInputs(work, probed), output));
        return await runner.RenderOutputAsync(input, work, plan, run.Guard, part: null, cancellationToken);
    }

    /// <summary>A preview decodes low-resolution proxies of its video inputs instead of the originals (made once per input).</summary>
    private async Task<ProbedInputs> WithProxiesAsync(string jobId, ProbedInputs probed, CancellationToken cancellationToken)
    {
        var sources = new List<ProbedSource>(probed.Sources.Count);
        foreach (var source in probed.Sources)
            sources.Add(await proxies.UseAsync(source, workspace.LocalPath(jobId, source.Key), workspace.LocalPath(jobId, PreviewProxy.KeyFor(source.Key)), cancellationToken));
        return new ProbedInputs(sources);
    }
}
