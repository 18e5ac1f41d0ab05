using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Progress;

namespace FfmpegFunctions.Tests.DryRuns;

public sealed class RenderEstimatorTests
{
    [Fact]
    public void WithoutEnoughRecentRendersTheBenchmarkRateStandsInAndTheBasisSaysSo()
    {
        var (bytes, seconds, basis) = RenderEstimator.Estimate("mp4", 1659, 60, 128, [new RenderSample("mp4", 10, 5, 100_000, 2)]);

        Assert.Equal(0, basis.RecentRenders);
        Assert.Contains("benchmark", basis.Description);
        Assert.InRange(seconds, 14, 20);
        // 0.1 bit per pixel of video plus 128 kbit/s of sound for 60 s.
        Assert.Equal((long)(0.1e6 / 8 * 1659 + 16_000 * 60), bytes);
    }

    [Fact]
    public void RecentRendersGiveAFixedCostPerJobPlusAMedianRatePerMegapixelFrame()
    {
        // Jobs of 2 s fixed cost and 10 ms per megapixel-frame, one outlier that the median ignores.
        RenderSample Job(double megapixelFrames, double extra = 0) =>
            new("mp4", megapixelFrames, 2 + 0.010 * megapixelFrames + extra, (long)(megapixelFrames * 5000 + 16_000 * 4), 4);
        var samples = new[] { Job(50), Job(100), Job(200), Job(400), Job(100, extra: 60) };

        var (bytes, seconds, basis) = RenderEstimator.Estimate("mp4", 1000, 4, 128, samples);

        Assert.Equal(5, basis.RecentRenders);
        Assert.Equal(12, seconds, 1);
        Assert.Equal(1000 * 5000 + 16_000 * 4, bytes);
    }

    [Fact]
    public void TheEtaFollowsThePaceOfProgressFromItsReferencePoint()
    {
        var start = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var rate = new ProgressRate();

        Assert.Null(rate.Observe(10, start)); // nothing has moved yet
        Assert.Equal(start.AddSeconds(10 + 80), rate.Observe(20, start.AddSeconds(10))); // 10 % per 10 s, 80 % left after 10 s
        Assert.Null(RenderEta.Estimate(100, 0, start, start.AddSeconds(5)));
        Assert.Equal(start.AddSeconds(30 + 90), RenderEta.Estimate(25, 0, start, start.AddSeconds(30)));
    }
}
