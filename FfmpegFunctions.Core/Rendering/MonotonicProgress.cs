using System.Diagnostics;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Forwards progress so it never goes down, stays below 100 until the render has really succeeded,
/// and repeats the last value when ffmpeg is quiet so listeners hear from us at least once a second.
/// </summary>
internal sealed class MonotonicProgress(IProgress<RenderProgress>? target, TimeSpan quietPeriod)
{
    // ffmpeg can reach the planned duration before muxing or the thumbnail fails; 100 means done.
    private const double RunningCap = 99.9;

    private readonly Lock gate = new();
    private RenderProgress last = new(0, TimeSpan.Zero, null);
    private long lastSentAt = Stopwatch.GetTimestamp();
    private bool completed;

    public void Report(RenderProgress next)
    {
        lock (gate)
        {
            if (completed) return;
            last = new RenderProgress(
                Math.Min(Math.Max(next.Percent, last.Percent), RunningCap),
                next.OutTime > last.OutTime ? next.OutTime : last.OutTime,
                next.Speed ?? last.Speed);
            Send();
        }
    }

    public void Heartbeat()
    {
        lock (gate)
        {
            if (!completed && Stopwatch.GetElapsedTime(lastSentAt) >= quietPeriod) Send();
        }
    }

    public void Complete()
    {
        lock (gate)
        {
            if (completed) return;
            completed = true;
            last = last with { Percent = 100 };
            Send();
        }
    }

    // Sent under the lock so reports from the reader and the heartbeat arrive in order.
    private void Send()
    {
        lastSentAt = Stopwatch.GetTimestamp();
        target?.Report(last);
    }
}
