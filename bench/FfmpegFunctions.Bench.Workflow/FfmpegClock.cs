using System.Collections.Concurrent;
using FfmpegFunctions.Core.Metrics;

namespace FfmpegFunctions.Bench.Workflow;

/// <summary>Takes the time ffmpeg itself ran (the render steps report it through IRenderMetrics) so it can be subtracted.</summary>
public sealed class FfmpegClock : IRenderMetrics
{
    private readonly ConcurrentQueue<TimeSpan> renders = new();

    public TimeSpan Take() => renders.TryDequeue(out var elapsed) ? elapsed : throw new InvalidOperationException("No ffmpeg time was reported.");

    /// <summary>Every render reported since the last call (a segmented job reports one per part), summed.</summary>
    public TimeSpan TakeAll()
    {
        var total = TimeSpan.Zero;
        while (renders.TryDequeue(out var elapsed)) total += elapsed;
        return total;
    }

    public void FfmpegRendered(TimeSpan elapsed) => renders.Enqueue(elapsed);

    public void SetWorkerSlots(int slots) { }

    public void JobStarted() { }

    public void JobFinished(string outcome, TimeSpan duration) { }

    public void StepFinished(string step, string outcome, TimeSpan elapsed) { }
}
