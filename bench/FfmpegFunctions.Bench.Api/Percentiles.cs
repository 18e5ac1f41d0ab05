using System.Globalization;

namespace FfmpegFunctions.Bench.Api;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Line(string name, List<double> millis, TimeSpan elapsed, int errors)
    {
        millis.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-8} n={millis.Count,6}  errors={errors}  throughput={millis.Count / elapsed.TotalSeconds,8:0} req/s  " +
            $"p50={Of(millis, 50),6:0.00} ms  p95={Of(millis, 95),6:0.00} ms  p99={Of(millis, 99),6:0.00} ms");
    }
}
