using System.Globalization;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Which part of a probed source an item plays (clips, layers, audio tracks): from trim.start to trim.end, the
/// probed end, or start + duration. A trim start at or past the end, or a trim end past it by more than the
/// slack, fails at its pointer naming the source's real length; within the slack it is clamped, since container
/// durations are often a little off.
/// </summary>
internal static class SourceWindow
{
    /// <returns>Where to seek, and the seconds of source from there.</returns>
    public static (double Start, double Seconds) Measure(string source, TrimSpec? trim, double? duration, double? probed, string pointer, double slack)
    {
        var start = trim?.Start ?? 0;
        if (probed is { } length && start >= length)
            throw new RenderPlanException($"{pointer}/trim/start",
                $"Trim start {Num(start)} s is at or beyond the end of the source ({Num(length)} s).");
        if (trim?.End is { } wanted && probed is { } real && wanted > real + slack)
            throw new RenderPlanException($"{pointer}/trim/end",
                $"Trim end {Num(wanted)} s is beyond the end of the source '{source}', which is {Num(real)} s long.");
        var end = (trim?.End, probed) switch
        {
            ({ } e, { } d) => Math.Min(e, d),
            ({ } e, null) => e,
            (null, { } d) => d,
            _ => duration is { } cap ? start + cap
                : throw new RenderPlanException($"{pointer}/duration", $"The length of source '{source}' is unknown; give a trim end or a duration."),
        };
        return (start, end - start);
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
