namespace FfmpegFunctions.Core.Progress;

/// <summary>
/// When a running render should end, from how fast its progress has moved so far: the time since a reference point
/// scaled by the work left over the work done since then. Null until there is movement to go on.
/// </summary>
public static class RenderEta
{
    /// <param name="percent">Progress now, 0-100.</param>
    /// <param name="since">When progress was <paramref name="fromPercent"/> (the job's start: 0).</param>
    public static DateTimeOffset? Estimate(double percent, double fromPercent, DateTimeOffset since, DateTimeOffset now)
    {
        var done = percent - fromPercent;
        if (done <= 0 || percent >= 100 || now <= since) return null;
        var left = (now - since).TotalSeconds * (100 - percent) / done;
        // Rounded to the second: finer is noise, and equal values let clients skip redraws.
        return now.AddSeconds(Math.Round(left));
    }
}

/// <summary>One render's progress as it streams in, for its ETA: the first report is the reference point.</summary>
public sealed class ProgressRate
{
    private (double Percent, DateTimeOffset At)? first;

    public DateTimeOffset? Observe(double percent, DateTimeOffset now)
    {
        first ??= (percent, now);
        return RenderEta.Estimate(percent, first.Value.Percent, first.Value.At, now);
    }
}
