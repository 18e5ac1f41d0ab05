using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Execution;

/// <summary>Limits on what an input decodes to, read from the probe before anything decodes it.</summary>
public sealed class MediaLimitsTests : IDisposable
{
    private readonly ExecutionHarness harness = new();

    [Fact]
    public async Task AHugeCanvasInATinyFileIsProbedWithItsRealSizeWithoutDecodingIt()
    {
        var bomb = DecompressionBomb.WritePng(Path.Combine(harness.Root, "bomb.png"), 16000, 16000);

        var media = await harness.Probe.ProbeAsync(bomb, CancellationToken.None);

        Assert.True(new FileInfo(bomb).Length < 100_000);
        Assert.True(media.IsStillImage);
        Assert.Equal((16000, 16000), (media.Width, media.Height));
        Assert.Equal("is 16000x16000 (256000000 pixels), more than the 67108864 pixels allowed for an image (Render:MaxImagePixels)",
            new MediaLimits().Violation(media));
    }

    [Fact]
    public async Task AnOrdinaryImageAndVideoFitTheDefaults()
    {
        var still = await harness.Probe.ProbeAsync(DecompressionBomb.WritePng(Path.Combine(harness.Root, "ok.png"), 1920, 1080), CancellationToken.None);
        var video = await harness.Probe.ProbeAsync(harness.Media.Video("ok.mp4", seconds: 1, audio: true), CancellationToken.None);

        Assert.Equal((1920, 1080), (still.Width, still.Height));
        Assert.Null(new MediaLimits().Violation(still));
        Assert.Equal(2, video.Streams);
        Assert.Null(new MediaLimits().Violation(video));
    }

    [Theory]
    [InlineData(4096, 2160, 30, false, 2, null)]
    [InlineData(4097, 2160, 30, false, 2, "is 4097x2160 (8849520 pixels), more than the 8847360 pixels allowed for a video frame (Render:MaxVideoPixels)")]
    [InlineData(2160, 4097, 30, false, 2, "is 2160x4097 (8849520 pixels), more than the 8847360 pixels allowed for a video frame (Render:MaxVideoPixels)")]
    [InlineData(8192, 8192, 0, true, 1, null)]
    [InlineData(1280, 720, 240, false, 2, "runs at 240 frames per second, more than the 120 allowed (Render:MaxFrameRate)")]
    [InlineData(1280, 720, 30, false, 17, "has 17 streams, more than the 16 allowed (Render:MaxStreams)")]
    public void EachLimitNamesTheRealFigureAndItsSetting(int width, int height, double fps, bool still, int streams, string? expected)
    {
        var media = new MediaInfo(still ? null : 10, true, !still, width, height, fps, still, Streams: streams);

        Assert.Equal(expected, new MediaLimits().Violation(media));
    }

    public void Dispose() => harness.Dispose();
}
