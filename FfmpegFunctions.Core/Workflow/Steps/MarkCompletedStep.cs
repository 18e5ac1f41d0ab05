using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>The composition is completed (events, the webhook, cleanup), unless a client stopped it while it published
/// (then Continue is false and its outputs are removed).</summary>
public sealed class MarkCompletedStep(
    RenderJobStore jobs, WorkLoader loader, IObjectStore objects, ICompositionEventSink events, WebhookOutbox webhooks, JobCleanup cleanup,
    TimeProvider clock) : IStep<CompleteInput, StepAck>
{
    public async Task<StepAck> RunAsync(CompleteInput input, StepRun run, CancellationToken cancellationToken)
    {
        var id = input.Render.CompositionId;
        var published = input.Published;
        // Recorded in job_steps by the same statement that completes it: nobody reads "completed" while /steps lacks this step.
        var completed = await jobs.MarkCompletedAsync(id, published.OutputKey, published.ThumbnailKey, published.Metadata, run, cancellationToken);
        if (!completed)
        {
            // Not ours to judge if the claim moved on: the new owner publishes these same keys.
            await loader.EnsureHeldAsync(input.Render, run.Guard, cancellationToken);
            // Cancelled or deleted while publishing: its outputs must not linger.
            await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(id), cancellationToken);
        }
        else
        {
            await events.PublishAsync(new ProgressEvent(id, 100, StepNames.MarkCompleted, clock.GetUtcNow()), cancellationToken);
            await events.PublishAsync(new StatusEvent(id, CompositionStatus.Completed, clock.GetUtcNow(), StepNames.MarkCompleted, published.Metadata), cancellationToken);
            // Once per composition: a rerun of this step finds the delivery already queued.
            await webhooks.CompletedAsync(id, published.Metadata, cancellationToken);
        }
        await cleanup.CleanupAsync(input.Render, cancellationToken);
        return new StepAck(completed);
    }
}
