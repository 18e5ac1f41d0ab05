using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>Moves output and thumbnail to outputs/{id}/; a rerun after a partial move finds them already there.</summary>
public sealed class PublishStep(WorkLoader loader, IObjectStore objects, RenderJobStore jobs) : IStep<PublishInput, PublishedOutput>
{
    public async Task<PublishedOutput> RunAsync(PublishInput input, StepRun run, CancellationToken cancellationToken)
    {
        var work = await loader.ForStepAsync(input.Render, StepNames.Publish, run.Guard, cancellationToken);
        var outputKey = StorageKeys.Output(work.Id, work.Spec.Output.Format);
        var thumbnailKey = StorageKeys.Thumbnail(work.Id);
        await CopyOnceAsync(input.Rendered.OutputTempKey, outputKey, cancellationToken);
        await CopyOnceAsync(input.Rendered.ThumbnailTempKey, thumbnailKey, cancellationToken);
        // A delete or cancel that landed while copying removed outputs/ before our copies arrived: read the status
        // after them, so either the client's delete saw our objects or we see its status (the step host removes them).
        var status = await jobs.GetStatusAsync(work.Id, cancellationToken);
        if (status is null or CompositionStatus.Cancelled or CompositionStatus.Deleted)
            throw new CompositionStoppedException(work.Id, status ?? CompositionStatus.Deleted);
        await objects.DeletePrefixAsync(StorageKeys.TempPrefix(input.Render.JobId), cancellationToken);
        return new PublishedOutput(outputKey, thumbnailKey, input.Rendered.Metadata);
    }

    private async Task CopyOnceAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        try
        {
            await objects.CopyAsync(sourceKey, destinationKey, cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            // An earlier run of this step may have copied it and removed the temp object.
            if (await objects.GetInfoAsync(destinationKey, cancellationToken) is null) throw;
        }
    }
}
