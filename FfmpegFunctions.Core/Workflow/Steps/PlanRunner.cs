using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Compositions;
using System.Threading.Channels;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>
/// Runs a plan's ffmpeg passes and parks what they wrote in storage (local disk does not outlive a step): the whole
/// output and its thumbnail under temp/{jobId}/ (a single pass, or a join), or one part of a segment-parallel render.
/// </summary>
public sealed partial class PlanRunner(
    IRenderExecutor executor, IObjectStore objects, WorkLoader loader, ProgressForwarder progress, IRenderMetrics metrics, ILogger<PlanRunner> logger)
{
    /// <summary>Renders the final output and its thumbnail and parks both under temp/{jobId}/.</summary>
    /// <param name="part">As one weighted part of a segment-parallel render's progress (the join), or null for the job's own.</param>
    public async Task<RenderedOutput> RenderOutputAsync(
        RenderInput render, CompositionWork work, RenderPlan plan, ClaimGuard guard, (string Name, double Weight)? part, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(render, plan, part, guard, cancellationToken);

        // A worker that lost its claim while ffmpeg ran must not overwrite the new owner's temp objects.
        await loader.EnsureHeldAsync(render, guard, cancellationToken);

        var prefix = StorageKeys.TempPrefix(render.JobId);
        var outputKey = prefix + Path.GetFileName(result.OutputPath);
        var thumbnailKey = prefix + "thumbnail.jpg";
        await objects.UploadFileAsync(outputKey, result.OutputPath, StorageKeys.ContentType(work.Spec.Output.Format), cancellationToken);
        await objects.UploadFileAsync(thumbnailKey, result.ThumbnailPath, "image/jpeg", cancellationToken);
        LogRendered(logger, render.CompositionId, result.Duration, result.SizeBytes, result.Elapsed.TotalSeconds);

        var metadata = new OutputMetadata(Math.Round(result.Duration, 3), result.SizeBytes, plan.Output.Width, plan.Output.Height, StorageKeys.Extension(plan.Output.Format));
        return new RenderedOutput(outputKey, thumbnailKey, metadata);
    }

    /// <summary>Renders one part (a segment's video, the whole audio) and parks it at <paramref name="key"/> for the join.</summary>
    public async Task<RenderedPart> RenderPartAsync(RenderInput render, RenderPlan plan, string key, string part, double weight, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(render, plan, (part, weight), ClaimGuard.Always, cancellationToken);
        await objects.UploadFileAsync(key, result.OutputPath, "application/octet-stream", cancellationToken);
        LogPartRendered(logger, render.CompositionId, part, result.Elapsed.TotalSeconds);
        return new RenderedPart(key, Math.Round(result.Duration, 3), result.SizeBytes);
    }

    private async Task<RenderResult> ExecuteAsync(RenderInput render, RenderPlan plan, (string Name, double Weight)? part, ClaimGuard guard, CancellationToken cancellationToken)
    {
        RenderResult result;
        var reports = Channel.CreateBounded<RenderProgress>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var forwarding = part is { } p
            ? progress.ForwardPartAsync(render, p.Name, p.Weight, reports.Reader, cancellationToken)
            : progress.ForwardAsync(render.CompositionId, reports.Reader, guard, cancellationToken);
        using (var span = Telemetry.Source.StartActivity(part is null ? "ffmpeg render" : "ffmpeg render " + part.Value.Name))
        {
            span?.SetTag("composition.id", render.CompositionId.ToString("D"));
            span?.SetTag("output.width", plan.Output.Width);
            span?.SetTag("output.height", plan.Output.Height);
            span?.SetTag("output.format", StorageKeys.Extension(plan.Output.Format));
            try
            {
                result = await executor.RenderAsync(plan, new ChannelProgress(reports.Writer), cancellationToken);
                span?.SetTag("media.duration_seconds", result.Duration);
                span?.SetTag("output.size_bytes", result.SizeBytes);
            }
            catch (FfmpegException ex) when (ex.ExitCode == 1)
            {
                span.Fail(ex);
                span?.SetTag("process.exit.code", ex.ExitCode);
                // Exit 1 is ffmpeg rejecting its input or graph: the same again fails the same way.
                throw new PermanentStepException(ex.Message, ex);
            }
            catch (Exception ex)
            {
                span.Fail(ex);
                throw;
            }
            finally
            {
                reports.Writer.TryComplete();
                // Never throws (progress is best-effort), so it can neither fail a finished render nor hide the exception in flight.
                await forwarding;
            }
        }
        metrics.FfmpegRendered(result.Elapsed);
        return result;
    }

    private sealed class ChannelProgress(ChannelWriter<RenderProgress> writer) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => writer.TryWrite(value);
    }

    [LoggerMessage(EventId = CoreEvents.CompositionRendered, Level = LogLevel.Information, Message = "Rendered composition {CompositionId}: {Duration} s, {SizeBytes} bytes in {ElapsedSeconds} s")]
    private static partial void LogRendered(ILogger logger, Guid compositionId, double duration, long sizeBytes, double elapsedSeconds);

    [LoggerMessage(EventId = CoreEvents.PartRendered, Level = LogLevel.Information, Message = "Rendered {Part} of composition {CompositionId} in {ElapsedSeconds} s")]
    private static partial void LogPartRendered(ILogger logger, Guid compositionId, string part, double elapsedSeconds);
}
