using System.Globalization;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Culture-free number spelling, so the same plan always yields the same arguments.</summary>
internal static class Invariant
{
    /// <summary>Microsecond precision: ffmpeg parses durations to AV_TIME_BASE (1 µs) anyway.</summary>
    public static string Seconds(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
