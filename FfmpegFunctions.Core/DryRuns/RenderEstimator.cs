namespace FfmpegFunctions.Core.DryRuns;

/// <summary>
/// Turns recent renders into a size and a time for a planned one. Wall time is modelled as a fixed cost per job
/// (probe, plan, upload, thumbnail) plus a cost per megapixel-frame, fitted robustly; size as a median of bytes per megapixel-frame of the same format plus the audio bitrate. With too few
/// renders to go on, figures from the project's own benchmark stand in, and the basis says so.
/// </summary>
public static class RenderEstimator
{
    /// <summary>Below this many samples the model falls back to the defaults (one or two renders say little of a rate).</summary>
    public const int MinSamples = 3;

    // bench/README.md: a 60 s 720p30 composition (1659 megapixel-frames) rendered in about 14 s of wall time on 2 cores.
    private const double DefaultSecondsPerMegapixelFrame = 0.0086;
    private const double DefaultFixedSeconds = 3;

    public static (long Bytes, double Seconds, EstimateBasis Basis) Estimate(
        string format, double megapixelFrames, double duration, int audioBitrateKbps, IReadOnlyList<RenderSample> samples)
    {
        var audioBytes = format == "gif" ? 0 : audioBitrateKbps * 1000.0 / 8 * duration;
        var sameFormat = samples.Where(s => s.Format == format).ToList();
        var bytesPerMegapixelFrame = sameFormat.Count >= MinSamples
            ? Median(sameFormat.Select(s => Math.Max(s.Bytes - (format == "gif" ? 0 : audioBitrateKbps * 1000.0 / 8 * s.Duration), 0) / s.MegapixelFrames))
            : DefaultBitsPerPixel(format) * 1e6 / 8;
        var bytes = (long)Math.Round(bytesPerMegapixelFrame * megapixelFrames + audioBytes);

        if (samples.Count < MinSamples)
        {
            var seconds = DefaultFixedSeconds + DefaultSecondsPerMegapixelFrame * megapixelFrames;
            return (bytes, Math.Round(seconds, 1), new EstimateBasis(0,
                $"Fewer than {MinSamples} renders finished on this deployment in the last week: the project's benchmark rate (2 cores) stands in."));
        }
        // Theil-Sen: the median slope over all pairs, then the median intercept; one stuck or retried job moves neither.
        var slopes = new List<double>();
        for (var i = 0; i < samples.Count; i++)
            for (var j = i + 1; j < samples.Count; j++)
                if (Math.Abs(samples[j].MegapixelFrames - samples[i].MegapixelFrames) > 1e-9)
                    slopes.Add((samples[j].WallSeconds - samples[i].WallSeconds) / (samples[j].MegapixelFrames - samples[i].MegapixelFrames));
        var perMegapixelFrame = Math.Max(slopes.Count > 0 ? Median(slopes) : Median(samples.Select(s => s.WallSeconds / s.MegapixelFrames)), 0);
        var fixedSeconds = Math.Max(Median(samples.Select(s => s.WallSeconds - perMegapixelFrame * s.MegapixelFrames)), 0);
        var estimate = fixedSeconds + perMegapixelFrame * megapixelFrames;
        return (bytes, Math.Round(estimate, 1), new EstimateBasis(samples.Count,
            $"From the last {samples.Count} renders finished on this deployment: {fixedSeconds:0.0} s per job plus {perMegapixelFrame * 1000:0.###} ms per megapixel-frame."));
    }

    private static double DefaultBitsPerPixel(string format) => format switch
    {
        "gif" => 0.5,
        "webm" => 0.08,
        _ => 0.1,
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
