using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>What a job leaves behind, removed: safe to call any number of times, on any instance.</summary>
public sealed class JobCleanup(IObjectStore objects, JobWorkspace workspace, RenderPlanStore plans, RenderJobStore jobs)
{
    /// <summary>After a job ended: its local folder here, its temp/ objects and its stored plan.</summary>
    public async Task CleanupAsync(RenderInput input, CancellationToken cancellationToken)
    {
        workspace.DeleteLocalCopies(input.JobId);
        await objects.DeletePrefixAsync(StorageKeys.TempPrefix(input.JobId), cancellationToken);
        await plans.DeleteAsync(input, cancellationToken);
    }

    /// <summary>After a stop (cancel or delete), the one rule of both engines: everything <see cref="CleanupAsync"/>
    /// removes and, unless the composition completed, its outputs/ (a stop during Publish can race the copies).</summary>
    public async Task AbandonAsync(RenderInput input, CancellationToken cancellationToken)
    {
        await CleanupAsync(input, cancellationToken);
        if (await jobs.GetStatusAsync(input.CompositionId, cancellationToken) != CompositionStatus.Completed)
            await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(input.CompositionId), cancellationToken);
    }
}
