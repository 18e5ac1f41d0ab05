using System.Globalization;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// An exact frame rate. The planner counts whole frames so xfade offsets, trims and the total
/// land on frame boundaries; seconds are derived from frame counts, never accumulated as doubles.
/// </summary>
public readonly record struct FrameRate(long Numerator, long Denominator)
{
    /// <summary>Maps NTSC-style rates (29.97, 23.976, 59.94) to their n*1000/1001 form, others to the nearest small fraction.</summary>
    public static FrameRate FromFps(double fps)
    {
        if (!double.IsFinite(fps) || fps <= 0) throw new ArgumentOutOfRangeException(nameof(fps), fps, "Frame rate must be positive.");

        var rounded = Math.Round(fps);
        if (Math.Abs(fps - rounded) < 1e-6) return new((long)rounded, 1);

        var ntsc = Math.Round(fps * 1001 / 1000);
        if (Math.Abs(fps - ntsc * 1000 / 1001) < 0.005) return new((long)ntsc * 1000, 1001);

        // Best fraction with a small denominator (12.5 -> 25/2).
        var best = new FrameRate((long)rounded, 1);
        var bestError = Math.Abs(fps - rounded);
        for (long den = 2; den <= 1000 && bestError > 1e-9; den++)
        {
            var num = Math.Round(fps * den);
            var error = Math.Abs(fps - num / den);
            if (error < bestError - 1e-12)
            {
                best = new((long)num, den);
                bestError = error;
            }
        }
        return best;
    }

    public double Fps => (double)Numerator / Denominator;

    /// <summary>Whole frames nearest to <paramref name="seconds"/>.</summary>
    public long ToFrames(double seconds) =>
        (long)Math.Round(seconds * Numerator / Denominator, MidpointRounding.AwayFromZero);

    public double ToSeconds(long frames) => (double)frames * Denominator / Numerator;

    /// <summary>ffmpeg's spelling: "30" or "30000/1001".</summary>
    public override string ToString() =>
        Denominator == 1
            ? Numerator.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
