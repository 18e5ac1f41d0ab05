using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Tests.Rendering.Planning;

public sealed class FrameRateTests
{
    [Theory]
    [InlineData(30, "30")]
    [InlineData(25, "25")]
    [InlineData(29.97, "30000/1001")]
    [InlineData(23.976, "24000/1001")]
    [InlineData(59.94, "60000/1001")]
    [InlineData(12.5, "25/2")]
    public void FpsIsSpelledAsAnExactRational(double fps, string expected) =>
        Assert.Equal(expected, FrameRate.FromFps(fps).ToString());

    [Fact]
    public void NtscFrameCountsRoundTripThroughSeconds()
    {
        var rate = FrameRate.FromFps(29.97);

        Assert.Equal(60, rate.ToFrames(2.002));
        Assert.Equal(2.002, rate.ToSeconds(60), 9);
    }
}
