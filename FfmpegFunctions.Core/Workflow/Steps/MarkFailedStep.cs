using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>The composition failed, with the failing step and its reason (events, the webhook, cleanup).</summary>
public sealed partial class MarkFailedStep(
    RenderJobStore jobs, WorkLoader loader, ICompositionEventSink events, WebhookOutbox webhooks, JobCleanup cleanup, TimeProvider clock,
    ILogger<MarkFailedStep> logger) : IStep<FailInput, StepAck>
{
    public async Task<StepAck> RunAsync(FailInput input, StepRun run, CancellationToken cancellationToken)
    {
        var id = input.Render.CompositionId;
        LogFailed(logger, id, input.Step, input.Reason);
        var marked = await jobs.MarkFailedAsync(id, input.Reason, run.Guard, cancellationToken);
        if (!marked) await loader.EnsureHeldAsync(input.Render, run.Guard, cancellationToken);
        if (marked)
        {
            var now = clock.GetUtcNow();
            await events.PublishAsync(new ErrorEvent(id, input.Reason, input.Step, now), cancellationToken);
            await events.PublishAsync(new StatusEvent(id, CompositionStatus.Failed, now, input.Step), cancellationToken);
        }
        // Also when not marked now: a rerun after a crash between the two writes must still enqueue. The outbox only
        // enqueues for a composition that is failed, and only once.
        await webhooks.FailedAsync(id, input.Reason, cancellationToken);
        await cleanup.CleanupAsync(input.Render, cancellationToken);
        return new StepAck(marked);
    }

    [LoggerMessage(EventId = CoreEvents.CompositionFailed, Level = LogLevel.Warning, Message = "Composition {CompositionId} failed at step {Step}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid compositionId, string step, string reason);
}
