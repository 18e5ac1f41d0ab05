using System.Diagnostics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Rendering.Execution;

public sealed class RenderExecutorTests(ITestOutputHelper output) : IDisposable
{
    private readonly ExecutionHarness harness = new();

    [Fact]
    public async Task RenderingWritesTheOutputAndThumbnailAndMeasuresThem()
    {
        var plan = harness.TestPatternPlan(seconds: 2);

        var result = await harness.Executor.RenderAsync(plan, progress: null, CancellationToken.None);

        Assert.Equal(plan.OutputPath, result.OutputPath);
        Assert.Equal(Path.Combine(harness.OutputDirectory, "thumbnail.jpg"), result.ThumbnailPath);
        Assert.InRange(result.Duration, 1.9, 2.1);
        Assert.Equal(new FileInfo(plan.OutputPath).Length, result.SizeBytes);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        var thumbnail = await harness.Probe.ProbeAsync(result.ThumbnailPath, CancellationToken.None);
        Assert.True(thumbnail.IsStillImage);
        Assert.Equal(160, thumbnail.Width);
        Assert.Equal(90, thumbnail.Height);
        Assert.Empty(harness.LeftoverWorkDirectories());
    }

    [Fact]
    public async Task ProgressNeverGoesDownAndEndsAtExactly100()
    {
        var progress = new RecordingProgress();

        await harness.Executor.RenderAsync(harness.TestPatternPlan(seconds: 3), progress, CancellationToken.None);

        var percents = progress.Reports.Select(r => r.Report.Percent).ToList();
        Assert.True(percents.Count >= 2, $"expected several reports, got {percents.Count}");
        for (var i = 1; i < percents.Count; i++) Assert.True(percents[i] >= percents[i - 1], $"progress went down: {string.Join(", ", percents)}");
        Assert.Equal(100, percents[^1]);
        Assert.Equal(1, percents.Count(p => p >= 100));
    }

    [Fact]
    public async Task ProgressIsReportedAtLeastOncePerSecondDuringALongRender()
    {
        var progress = new RecordingProgress();

        await harness.Executor.RenderAsync(harness.TestPatternPlan(seconds: 4, realtime: true), progress, CancellationToken.None);

        var times = progress.Reports.Select(r => r.At).ToList();
        Assert.True(times[^1] >= TimeSpan.FromSeconds(3.5), $"the -re render should last about 4 s, took {times[^1]}");
        Assert.True(times[0] < TimeSpan.FromSeconds(1));
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"{times.Count} reports in {times[^1].TotalSeconds:0.00} s, longest gap {gaps.Max().TotalMilliseconds:0} ms: {string.Join(", ", progress.Reports.Select(r => $"{r.At.TotalSeconds:0.00}s={r.Report.Percent:0.#}"))}");
        Assert.True(gaps.Max() <= TimeSpan.FromSeconds(1), $"longest gap between reports was {gaps.Max()}: {string.Join(", ", progress.Reports.Select(r => $"{r.At.TotalSeconds:0.00}s={r.Report.Percent:0.#}"))}");
        // Real ffmpeg progress moved it along, not just heartbeats repeating 0.
        Assert.Contains(progress.Reports, r => r.Report.Percent is > 25 and < 100);
    }

    [Fact]
    public async Task AQuietFfmpegIsStillHeardFromAtLeastOncePerSecond()
    {
        var plan = harness.TestPatternPlan(seconds: 3, realtime: true);
        // ffmpeg now writes progress only every 5 s, so every report in between is our heartbeat.
        plan = plan with { Arguments = ["-stats_period", "5", .. plan.Arguments] };
        var progress = new RecordingProgress();

        await harness.Executor.RenderAsync(plan, progress, CancellationToken.None);

        var times = progress.Reports.Select(r => r.At).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"{times.Count} reports in {times[^1].TotalSeconds:0.00} s, longest gap {gaps.Max().TotalMilliseconds:0} ms: {string.Join(", ", progress.Reports.Select(r => $"{r.At.TotalSeconds:0.00}s={r.Report.Percent:0.#}"))}");
        Assert.True(gaps.Max() <= TimeSpan.FromSeconds(1), $"longest gap between reports was {gaps.Max()}");
        Assert.Equal(100, progress.Reports[^1].Report.Percent);
    }

    [Fact]
    public async Task CancellingKillsFfmpegAtOnceAndLeavesNothingBehind()
    {
        var plan = harness.TestPatternPlan(seconds: 20, realtime: true);
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource();

        var render = harness.Executor.RenderAsync(plan, progress, cts.Token);
        await Eventually.BecomesAsync(() => Task.FromResult(progress.Reports.Any(r => r.Report.Percent > 2)), started => started,
            TimeSpan.FromSeconds(10), "the render to start");
        Assert.NotEmpty(ExecutionHarness.ProcessesMentioning(plan.OutputPath));
        Assert.True(File.Exists(plan.OutputPath), "ffmpeg should have started writing");

        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render);
        stopwatch.Stop();
        output.WriteLine($"cancelled in {stopwatch.Elapsed.TotalMilliseconds:0} ms");

        // The render runs in real time for 20 s: ending well before that is the kill (StopBound says why it is loose).
        Assert.True(stopwatch.Elapsed < StopBound.Loaded, $"cancellation took {stopwatch.Elapsed}");
        Assert.Empty(ExecutionHarness.ProcessesMentioning(plan.OutputPath));
        Assert.False(File.Exists(plan.OutputPath), "the partial output should be deleted");
        Assert.Empty(harness.LeftoverWorkDirectories());
        Assert.DoesNotContain(progress.Reports, r => r.Report.Percent >= 100);
    }

    [Fact]
    public async Task ABadFilterFailsWithTheExitCodeAndFfmpegsReason()
    {
        var plan = harness.TestPatternPlan(seconds: 1, videoFilter: "nosuchfilter=1");

        var error = await Assert.ThrowsAsync<FfmpegException>(() => harness.Executor.RenderAsync(plan, null, CancellationToken.None));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("nosuchfilter", error.StderrTail, StringComparison.Ordinal);
        Assert.Contains("nosuchfilter", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.LeftoverWorkDirectories());
        Assert.False(File.Exists(plan.OutputPath));
    }

    [Fact]
    public async Task AGifOutputGetsAJpegThumbnailToo()
    {
        var result = await harness.Executor.RenderAsync(harness.TestPatternPlan(seconds: 1, format: "gif"), null, CancellationToken.None);

        var thumbnail = await harness.Probe.ProbeAsync(result.ThumbnailPath, CancellationToken.None);
        Assert.Equal("mjpeg", thumbnail.VideoCodec);
        Assert.InRange(result.Duration, 0.9, 1.1);
    }

    [Fact]
    public async Task AThumbnailTimePastTheEndFallsBackToTheFirstFrame()
    {
        var plan = harness.TestPatternPlan(seconds: 1) with { Thumbnail = new ThumbnailPlan(5, 160) };

        var result = await harness.Executor.RenderAsync(plan, null, CancellationToken.None);

        Assert.True(File.Exists(result.ThumbnailPath));
    }

    [Fact]
    public async Task ARelativeOutputPathIsRejectedBeforeFfmpegRuns()
    {
        var plan = harness.TestPatternPlan(seconds: 1) with { OutputPath = "render.mp4" };

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Executor.RenderAsync(plan, null, CancellationToken.None));
    }

    [Fact]
    public void ThreadsAreLimitedInFrontOfTheOutputWhereTheEncoderSeesThem()
    {
        var plan = harness.TestPatternPlan(seconds: 1);

        var arguments = RenderExecutor.BuildArguments(plan, threads: 2);

        Assert.Equal(["-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats", "-y"], arguments.Take(8));
        Assert.Equal(["-threads", "2", plan.OutputPath], arguments.TakeLast(3));
        Assert.Contains("-filter_complex_threads", arguments);
        Assert.DoesNotContain("-threads", RenderExecutor.BuildArguments(plan, threads: 0));
    }

    [Fact]
    public async Task ALimitedThreadCountStillRenders()
    {
        using var limited = new ExecutionHarness(o => o.Threads = 1);

        var result = await limited.Executor.RenderAsync(limited.TestPatternPlan(seconds: 1), null, CancellationToken.None);

        Assert.InRange(result.Duration, 0.9, 1.1);
    }

    public void Dispose() => harness.Dispose();
}
