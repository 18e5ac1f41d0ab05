using System.Diagnostics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Execution;

public sealed class FfprobeMediaProbeTests : IDisposable
{
    private readonly ExecutionHarness harness = new();

    [Fact]
    public async Task AVideoWithSoundReportsItsSizeRateDurationAndCodecs()
    {
        var path = harness.Media.Video("with-audio.mp4", seconds: 2, fps: 25, audio: true);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.True(media.HasVideo);
        Assert.True(media.HasAudio);
        Assert.False(media.IsStillImage);
        Assert.Equal((320, 180), (media.Width, media.Height));
        Assert.Equal(25, media.FrameRate, precision: 3);
        Assert.InRange(media.Duration!.Value, 1.9, 2.1);
        Assert.Equal("h264", media.VideoCodec);
        Assert.Equal("aac", media.AudioCodec);
        Assert.Equal(0, media.Rotation);
    }

    [Fact]
    public async Task AVideoWithoutSoundHasNoAudio()
    {
        var path = harness.Media.Video("silent.mp4", seconds: 1, audio: false);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.False(media.HasAudio);
        Assert.Null(media.AudioCodec);
        Assert.InRange(media.Duration!.Value, 0.9, 1.1);
    }

    [Fact]
    public async Task AFractionalFrameRateIsKeptExact()
    {
        var path = harness.Media.Video("ntsc.mp4", seconds: 1, fps: 30000.0 / 1001, audio: false);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.Equal(29.97, media.FrameRate, precision: 2);
    }

    [Theory]
    [InlineData("still.png", "png")]
    [InlineData("still.jpg", "mjpeg")]
    public async Task AnImageIsAStillWithoutDuration(string name, string codec)
    {
        var path = harness.Media.Image(name, width: 64, height: 48);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.True(media.IsStillImage);
        Assert.Null(media.Duration);
        Assert.Equal((64, 48), (media.Width, media.Height));
        Assert.Equal(codec, media.VideoCodec);
        Assert.False(media.HasAudio);
    }

    [Fact]
    public async Task AnAudioFileHasNoVideo()
    {
        var path = harness.Media.Audio("tone.m4a", seconds: 1);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.False(media.HasVideo);
        Assert.True(media.HasAudio);
        Assert.False(media.IsStillImage);
        Assert.InRange(media.Duration!.Value, 0.9, 1.2);
    }

    [Fact]
    public async Task APortraitVideoKeepsItsCodedSize()
    {
        var path = harness.Media.Video("portrait.mp4", seconds: 1, width: 180, height: 320, audio: false);

        var media = await harness.Probe.ProbeAsync(path, CancellationToken.None);

        Assert.Equal((180, 320), (media.Width, media.Height));
        Assert.Equal(0, media.Rotation);
    }

    [Fact]
    public async Task ARotatedVideoReportsTheClockwiseTurnFfmpegAppliesWhenDecoding()
    {
        var landscape = harness.Media.Video("landscape.mp4", seconds: 1, audio: false);
        var rotated = Path.Combine(harness.Media.Directory, "rotated.mp4");
        RunFfmpeg("-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);

        var media = await harness.Probe.ProbeAsync(rotated, CancellationToken.None);

        // Coded size is kept; ffmpeg 5.1 stores this tag as a counter-clockwise display matrix, i.e. 270 clockwise.
        Assert.Equal((320, 180), (media.Width, media.Height));
        Assert.Equal(270, media.Rotation);
    }

    [Fact]
    public async Task RandomBytesAreInvalidMediaCarryingFfprobesError()
    {
        var path = Path.Combine(harness.Media.Directory, "corrupt.mp4");
        var bytes = new byte[16 * 1024];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<InvalidMediaException>(() => harness.Probe.ProbeAsync(path, CancellationToken.None));

        Assert.Equal(path, error.MediaPath);
        Assert.Contains("Invalid data", error.ProbeError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsFileNotFound()
    {
        var path = Path.Combine(harness.Media.Directory, "missing.mp4");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => harness.Probe.ProbeAsync(path, CancellationToken.None));

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public async Task CancellingAProbeKillsFfprobe()
    {
        // A FIFO nobody writes: ffprobe waits on it until it is killed.
        var path = Path.Combine(harness.Media.Directory, "never-written");
        NamedPipe.Create(path);
        using var cts = new CancellationTokenSource();

        var probing = harness.Probe.ProbeAsync(path, cts.Token);
        await Eventually.BecomesAsync(() => Task.FromResult(ExecutionHarness.ProcessesMentioning(path).Length), n => n > 0, TimeSpan.FromSeconds(10), "ffprobe to start");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probing);
        await Eventually.BecomesAsync(() => Task.FromResult(ExecutionHarness.ProcessesMentioning(path).Length), n => n == 0, TimeSpan.FromSeconds(5), "ffprobe to be killed");
    }

    [Theory]
    [InlineData("""{"streams":[{"codec_type":"video","width":1920,"height":1080,"side_data_list":[{"side_data_type":"Display Matrix","rotation":-90}]}],"format":{"duration":"3.5"}}""", 90)]
    [InlineData("""{"streams":[{"codec_type":"video","width":1920,"height":1080,"side_data_list":[{"rotation":180}]}],"format":{"duration":"3.5"}}""", 180)]
    [InlineData("""{"streams":[{"codec_type":"video","width":1920,"height":1080,"tags":{"rotate":"90"}}],"format":{"duration":"3.5"}}""", 90)]
    [InlineData("""{"streams":[{"codec_type":"video","width":1920,"height":1080,"tags":{"rotate":"-90"}}],"format":{}}""", 270)]
    public void RotationIsNormalisedToClockwiseQuarterTurns(string json, int expected)
    {
        Assert.Equal(expected, FfprobeMediaProbe.Parse(json, "x.mp4").Rotation);
    }

    [Fact]
    public void CoverArtInAMusicFileIsNotVideo()
    {
        const string json = """
            {"streams":[{"codec_type":"audio","codec_name":"mp3","duration":"180.0"},
                        {"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}}],
             "format":{"format_name":"mp3","duration":"180.0"}}
            """;

        var media = FfprobeMediaProbe.Parse(json, "song.mp3");

        Assert.False(media.HasVideo);
        Assert.False(media.IsStillImage);
        Assert.Equal(180, media.Duration);
    }

    [Fact]
    public void AFileWithoutPlayableStreamsIsInvalid()
    {
        Assert.Throws<InvalidMediaException>(() => FfprobeMediaProbe.Parse("""{"streams":[{"codec_type":"data"}],"format":{}}""", "x.bin"));
    }

    private static void RunFfmpeg(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", .. arguments]) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
    }

    public void Dispose() => harness.Dispose();
}
