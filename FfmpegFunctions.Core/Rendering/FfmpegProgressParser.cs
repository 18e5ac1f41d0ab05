using System.Globalization;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Reads ffmpeg's <c>-progress</c> output: blocks of key=value lines, each closed by
/// <c>progress=continue</c> or <c>progress=end</c>. Feed it lines; it returns a report per block.
/// </summary>
public sealed class FfmpegProgressParser(double durationSeconds)
{
    private TimeSpan outTime;
    private bool sawMicroseconds;
    private double? speed;

    /// <summary>True once ffmpeg wrote <c>progress=end</c>.</summary>
    public bool Ended { get; private set; }

    /// <returns>A report when <paramref name="line"/> closes a block, otherwise null.</returns>
    public RenderProgress? Feed(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var separator = line.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0) return null;
        var key = line.AsSpan(0, separator).Trim();
        var value = line.AsSpan(separator + 1).Trim();
        switch (key)
        {
            case "out_time_us":
                if (TryMicroseconds(value, out var us))
                {
                    outTime = us;
                    sawMicroseconds = true;
                }
                break;
            case "out_time_ms":
                // Despite its name ffmpeg writes microseconds here too; only a fallback for builds without out_time_us.
                if (!sawMicroseconds && TryMicroseconds(value, out var ms)) outTime = ms;
                break;
            case "speed":
                speed = double.TryParse(value.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 ? s : null;
                break;
            case "progress":
                Ended = value.SequenceEqual("end");
                return new RenderProgress(Percent(), outTime, speed);
            default:
                break;
        }
        return null;
    }

    private double Percent() =>
        durationSeconds > 0 ? Math.Clamp(outTime.TotalSeconds / durationSeconds * 100, 0, 100) : 0;

    // "N/A" and the large negative values ffmpeg prints before the first frame are ignored.
    private static bool TryMicroseconds(ReadOnlySpan<char> value, out TimeSpan time)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) && micros >= 0)
        {
            time = TimeSpan.FromMicroseconds(micros);
            return true;
        }
        time = default;
        return false;
    }
}
