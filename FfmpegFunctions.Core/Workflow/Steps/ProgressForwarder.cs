using System.Threading.Channels;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>
/// A running render's progress, to clients (events) and to PostgreSQL (now and then). Best-effort: a failure is
/// logged and the next report tries again; it never fails the render.
/// </summary>
public sealed partial class ProgressForwarder(
    RenderJobStore jobs, RenderPlanStore plans, ICompositionEventSink events, IOptions<RenderOptions> options, TimeProvider clock,
    ILogger<ProgressForwarder> logger)
{
    /// <summary>The job's own progress (a single pass).</summary>
    public async Task ForwardAsync(Guid compositionId, ChannelReader<RenderProgress> reports, ClaimGuard guard, CancellationToken cancellationToken)
    {
        var lastPersist = DateTimeOffset.MinValue;
        var lastPercent = -1.0;
        var rate = new ProgressRate();
        await foreach (var report in reports.ReadAllAsync(CancellationToken.None))
        {
            var percent = Math.Round(report.Percent, 1);
            if (percent <= lastPercent) continue;
            lastPercent = percent;
            var now = clock.GetUtcNow();
            var eta = rate.Observe(percent, now);
            try
            {
                await events.PublishAsync(new ProgressEvent(compositionId, percent, StepNames.Render, now, eta), cancellationToken);
                if (now - lastPersist >= options.Value.ProgressPersistInterval || percent >= 100)
                {
                    lastPersist = now;
                    await jobs.SetProgressAsync(compositionId, percent, guard, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The render is being cancelled; drain quietly.
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex, compositionId, percent);
            }
        }
    }

    /// <summary>A part's progress into the job's (the parts' weighted sum, kept in PostgreSQL because the parts may run
    /// on several instances), published when it moves.</summary>
    public async Task ForwardPartAsync(RenderInput render, string part, double weight, ChannelReader<RenderProgress> reports, CancellationToken cancellationToken)
    {
        var lastPersist = DateTimeOffset.MinValue;
        var lastTotal = -1.0;
        var rate = new ProgressRate();
        await foreach (var report in reports.ReadAllAsync(CancellationToken.None))
        {
            var now = clock.GetUtcNow();
            if (now - lastPersist < options.Value.ProgressPersistInterval && report.Percent < 100) continue;
            lastPersist = now;
            try
            {
                if (await plans.SetPartProgressAsync(render, part, weight, report.Percent, cancellationToken) is not { } total) continue;
                total = Math.Round(total, 1);
                if (total <= lastTotal) continue;
                lastTotal = total;
                // The job's total moves with every part on every instance; this part's view of its pace is the ETA's.
                await events.PublishAsync(new ProgressEvent(render.CompositionId, total, StepNames.Render, now, rate.Observe(total, now)), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex, render.CompositionId, report.Percent);
            }
        }
    }

    [LoggerMessage(EventId = CoreEvents.ProgressNotForwarded, Level = LogLevel.Warning, Message = "Could not forward progress {Percent} of composition {CompositionId}; the render goes on")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, Guid compositionId, double percent);
}
