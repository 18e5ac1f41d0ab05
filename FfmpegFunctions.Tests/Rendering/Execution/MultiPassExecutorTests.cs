using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Rendering.Execution;

/// <summary>Plans of several passes and fed passes, as the planner makes for audio, GIF palettes and long clip lists.</summary>
public sealed class MultiPassExecutorTests(ITestOutputHelper output) : IDisposable
{
    private const string Raw = "320x180";
    private readonly ExecutionHarness harness = new();

    [Fact]
    public async Task PassesRunInOrderSharingWorkFilesAndProgressSpansThemMonotonically()
    {
        var plan = TwoPassPlan(seconds: 2);
        var progress = new RecordingProgress();

        var result = await harness.Executor.RenderAsync(plan, progress, CancellationToken.None);

        Assert.InRange(result.Duration, 1.9, 2.1);
        var percents = progress.Reports.Select(r => r.Report.Percent).ToList();
        for (var i = 1; i < percents.Count; i++) Assert.True(percents[i] >= percents[i - 1], $"progress went down: {string.Join(", ", percents)}");
        Assert.Equal(100, percents[^1]);
        // The first pass alone never claims more than its share of the bar.
        Assert.Contains(percents, p => p is > 0 and <= 50);
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task AFedPassEncodesEveryProducersFramesOneAfterAnother()
    {
        var plan = FedPlan(producers: 3, secondsEach: 1);

        var result = await harness.Executor.RenderAsync(plan, null, CancellationToken.None);

        Assert.InRange(result.Duration, 2.9, 3.1);
        Assert.Equal(75, Planning.StreamFacts.VideoFrames(result.OutputPath));
        // The middle second is the second producer's red.
        var (r, g, b) = Planning.StreamFacts.AverageColor(result.OutputPath, 1.5);
        Assert.True(r > 200 && g < 60 && b < 60, $"expected red, got rgb({r},{g},{b})");
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task AFailingProducerFailsTheRenderWithItsOwnReason()
    {
        var plan = FedPlan(producers: 2, secondsEach: 1);
        var broken = plan.FinalFeed[1] with { Arguments = ["-f", "lavfi", "-i", "nosuchsource=1", "-f", "rawvideo", "pipe:1"] };
        plan = plan with { FinalFeed = [plan.FinalFeed[0], broken] };

        var error = await Assert.ThrowsAsync<FfmpegException>(() => harness.Executor.RenderAsync(plan, null, CancellationToken.None));

        Assert.Contains("nosuchsource", error.StderrTail, StringComparison.Ordinal);
        Assert.False(File.Exists(plan.OutputPath));
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task CancellingAFedPassKillsTheEncoderAndTheRunningProducer()
    {
        var plan = FedPlan(producers: 2, secondsEach: 20, realtime: true);
        var marker = plan.FinalFeed[0].Arguments[Array.IndexOf([.. plan.FinalFeed[0].Arguments], "-i") + 1];
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource();

        var render = harness.Executor.RenderAsync(plan, progress, cts.Token);
        await Eventually.BecomesAsync(() => Task.FromResult(progress.Reports.Any(r => r.Report.Percent > 1)), started => started,
            TimeSpan.FromSeconds(10), "the fed render to start");
        Assert.NotEmpty(ExecutionHarness.ProcessesMentioning(marker));

        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render);
        output.WriteLine($"cancelled in {stopwatch.Elapsed.TotalMilliseconds:0} ms");

        Assert.Empty(ExecutionHarness.ProcessesMentioning(marker));
        Assert.Empty(ExecutionHarness.ProcessesMentioning(plan.OutputPath));
        Assert.False(File.Exists(plan.OutputPath));
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task AnAlongsideProcessStreamsItsSamplesThroughAFifoWhileThePassRuns()
    {
        var plan = AlongsidePlan(seconds: 2);

        var result = await harness.Executor.RenderAsync(plan, null, CancellationToken.None);

        var file = FfprobeReader.Read(result.OutputPath);
        Assert.Equal("aac", file.AudioCodec);
        Assert.InRange(Planning.StreamFacts.Timing(result.OutputPath, "a").Duration, 1.95, 2.05);
        Assert.True(FfmpegCli.MeanVolume(result.OutputPath, 0.5, 1) > -40, "the tone should be heard");
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task AFailingAlongsideProcessFailsTheRenderWithItsOwnReason()
    {
        var plan = AlongsidePlan(seconds: 2);
        var broken = plan.FinalAlongside[0] with { Arguments = ["-y", "-f", "lavfi", "-i", "nosuchsource=1", "-f", "f32le", "tone"] };
        plan = plan with { FinalAlongside = [broken] };

        var error = await Assert.ThrowsAsync<FfmpegException>(() => harness.Executor.RenderAsync(plan, null, CancellationToken.None));

        Assert.Contains("nosuchsource", error.StderrTail, StringComparison.Ordinal);
        Assert.False(File.Exists(plan.OutputPath));
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task AnAlongsideProcessWhoseFifoIsNeverReadFailsTheRenderInsteadOfHanging()
    {
        var plan = AlongsidePlan(seconds: 1);
        // The render reads no FIFO: its companion blocks opening "tone" for writing until it is killed.
        plan = plan with { Arguments = ["-f", "lavfi", "-i", $"testsrc2=size={Raw}:rate=25:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", plan.OutputPath] };

        var error = await Assert.ThrowsAsync<FfmpegException>(() => harness.Executor.RenderAsync(plan, null, CancellationToken.None));

        Assert.Contains("never read", error.Message, StringComparison.Ordinal);
        Assert.Empty(ExecutionHarness.ProcessesMentioning("sine=frequency=437"));
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task CancellingKillsTheAlongsideProcessToo()
    {
        var plan = AlongsidePlan(seconds: 20, realtime: true);
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource();

        var render = harness.Executor.RenderAsync(plan, progress, cts.Token);
        await Eventually.BecomesAsync(() => Task.FromResult(progress.Reports.Any(r => r.Report.Percent > 1)), started => started,
            TimeSpan.FromSeconds(10), "the render to start");
        Assert.NotEmpty(ExecutionHarness.ProcessesMentioning("sine=frequency=437"));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render);

        Assert.Empty(ExecutionHarness.ProcessesMentioning("sine=frequency=437"));
        Assert.Empty(ExecutionHarness.ProcessesMentioning(plan.OutputPath));
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    /// <summary>A tone made alongside, read through the FIFO "tone" by the pass that encodes it with a test pattern.</summary>
    private RenderPlan AlongsidePlan(double seconds, bool realtime = false)
    {
        var outputPath = Path.Combine(harness.OutputDirectory, "alongside.mp4");
        var duration = TestMedia.Num(seconds);
        // 437 Hz: no test media uses it (they use 440), so the process checks see only this plan's companion.
        RenderPass tone = new("audio", [.. realtime ? ["-re"] : Array.Empty<string>(), "-y", "-f", "lavfi", "-i", $"sine=frequency=437:sample_rate=48000:duration={duration}",
            "-ac", "2", "-c:a", "pcm_f32le", "-f", "f32le", "tone"], 0);
        string[] final = [.. realtime ? ["-re"] : Array.Empty<string>(), "-f", "lavfi", "-i", $"testsrc2=size={Raw}:rate=25:duration={duration}",
            "-f", "f32le", "-ar", "48000", "-ac", "2", "-i", "tone", "-map", "0:v", "-map", "1:a", "-c:a", "aac",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", "-t", duration, outputPath];
        return new RenderPlan(final, seconds, outputPath, new OutputSpec { Width = 320, Height = 180, Fps = 25 }, new ThumbnailPlan(0.5, 160))
        {
            FinalAlongside = [tone],
        };
    }

    /// <summary>Pass 1 writes a work file by relative name; pass 2 reads it and writes the output.</summary>
    private RenderPlan TwoPassPlan(double seconds)
    {
        var outputPath = Path.Combine(harness.OutputDirectory, "two-pass.mp4");
        var duration = TestMedia.Num(seconds);
        RenderPass first = new("first", ["-f", "lavfi", "-i", $"testsrc2=size={Raw}:rate=25:duration={duration}", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", "work.mp4"], 0.5);
        string[] final = ["-i", "work.mp4", "-vf", "hflip", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", outputPath];
        return new RenderPlan(final, seconds, outputPath, new OutputSpec { Width = 320, Height = 180, Fps = 25 }, new ThumbnailPlan(0.5, 160))
        {
            Prepasses = [first],
            FinalWeight = 0.5,
        };
    }

    /// <summary>Producers write raw frames of a test pattern each; the final pass encodes them from stdin.</summary>
    private RenderPlan FedPlan(int producers, double secondsEach, bool realtime = false)
    {
        var outputPath = Path.Combine(harness.OutputDirectory, "fed.mp4");
        var feed = Enumerable.Range(0, producers).Select(i => new RenderPass($"segment {i}",
            [.. realtime ? ["-re"] : Array.Empty<string>(), "-f", "lavfi", "-i", i % 2 == 0 ? $"testsrc2=size={Raw}:rate=25:duration={TestMedia.Num(secondsEach)}" : $"color=c=red:size={Raw}:rate=25:duration={TestMedia.Num(secondsEach)}",
             "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"], 0)).ToList();
        string[] final = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", Raw, "-framerate", "25", "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", outputPath];
        return new RenderPlan(final, producers * secondsEach, outputPath, new OutputSpec { Width = 320, Height = 180, Fps = 25 }, new ThumbnailPlan(0.5, 160))
        {
            FinalFeed = feed,
        };
    }

    public void Dispose() => harness.Dispose();
}
