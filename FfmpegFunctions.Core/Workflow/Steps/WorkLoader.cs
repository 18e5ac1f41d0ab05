using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>How a step starts: read the composition's spec, stop if a client stopped it, and (for the job's own
/// steps) record itself as the current step under the engine's claim.</summary>
public sealed class WorkLoader(RenderJobStore jobs)
{
    /// <exception cref="ClaimLostException">The engine's claim no longer holds.</exception>
    public async Task<CompositionWork> ForStepAsync(RenderInput input, string step, ClaimGuard guard, CancellationToken cancellationToken)
    {
        var work = await ForPartAsync(input, cancellationToken);
        if (!await jobs.SetStepAsync(input.CompositionId, step, guard, cancellationToken) && !guard.IsAlways)
            throw new ClaimLostException(input.CompositionId);
        return work;
    }

    /// <summary>A part of a segment-parallel render reads the spec only: several run at once, on any instance, and
    /// none of them is the job's current step.</summary>
    public async Task<CompositionWork> ForPartAsync(RenderInput input, CancellationToken cancellationToken)
    {
        var work = await jobs.GetWorkAsync(input.CompositionId, cancellationToken)
            ?? throw new PermanentStepException($"The composition {input.CompositionId} no longer exists.");
        if (work.Status is CompositionStatus.Cancelled or CompositionStatus.Deleted)
            throw new CompositionStoppedException(input.CompositionId, work.Status);
        return work;
    }

    /// <exception cref="ClaimLostException">The engine's claim no longer holds: nothing more may be written.</exception>
    public async Task EnsureHeldAsync(RenderInput input, ClaimGuard guard, CancellationToken cancellationToken)
    {
        if (!await jobs.HoldsAsync(guard, cancellationToken)) throw new ClaimLostException(input.CompositionId);
    }
}
