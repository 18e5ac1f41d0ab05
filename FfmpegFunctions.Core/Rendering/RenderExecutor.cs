using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Runs a plan's ffmpeg command in a private working directory with progress on stdout, then takes the
/// thumbnail and probes the result. The working directory is always removed; on failure or
/// cancellation the partial output and thumbnail are removed too.
/// </summary>
public sealed class RenderExecutor(FfmpegLocator locator, IMediaProbe probe, IOptions<FfmpegOptions> options, ILogger<RenderExecutor> logger) : IRenderExecutor
{
    /// <summary>The thumbnail's file name, in the output's directory.</summary>
    public const string ThumbnailFileName = "thumbnail.jpg";

    // Ticks well inside a second so a quiet ffmpeg still yields a report at least once a second (worst gap ~0.6 s).
    private static readonly TimeSpan HeartbeatTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    public async Task<RenderResult> RenderAsync(RenderPlan plan, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // A relative output would land in the working directory and be deleted with it.
        if (!Path.IsPathFullyQualified(plan.OutputPath)) throw new ArgumentException("The plan's OutputPath must be absolute.", nameof(plan));
        cancellationToken.ThrowIfCancellationRequested();

        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        var ffmpeg = locator.GetFfmpegPath();
        var outputDirectory = Path.GetDirectoryName(plan.OutputPath)!;
        var thumbnailPath = Path.Combine(outputDirectory, ThumbnailFileName);
        var workDirectory = Path.Combine(settings.TempDirectory, "ffmpegfunctions-render-" + Guid.NewGuid().ToString("N"));

        var reporter = new MonotonicProgress(progress, QuietPeriod);
        using var stopHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = progress is null ? Task.CompletedTask : HeartbeatOnOwnThread(reporter, stopHeartbeat.Token);
        var succeeded = false;
        try
        {
            Directory.CreateDirectory(workDirectory);
            Directory.CreateDirectory(outputDirectory);
            reporter.Report(new RenderProgress(0, TimeSpan.Zero, null));

            var arguments = BuildArguments(plan, settings.Threads);
            RenderingLog.RenderStarting(logger, plan.OutputPath, plan.Duration, workDirectory);
            var parser = new FfmpegProgressParser(plan.Duration);
            await RunAsync(ffmpeg, arguments, workDirectory, line =>
            {
                if (parser.Feed(line) is { } report) reporter.Report(report);
            }, cancellationToken).ConfigureAwait(false);

            // Both only read the finished output; side by side they cost one process start instead of two (~70 ms).
            var thumbnail = TakeThumbnailAsync(ffmpeg, plan, thumbnailPath, workDirectory, cancellationToken);
            var probing = probe.ProbeAsync(plan.OutputPath, cancellationToken);
            await Task.WhenAll(thumbnail, probing).ConfigureAwait(false);
            var media = await probing.ConfigureAwait(false);
            var size = new FileInfo(plan.OutputPath).Length;
            var elapsed = Stopwatch.GetElapsedTime(started);

            reporter.Complete();
            succeeded = true;
            RenderingLog.RenderFinished(logger, plan.OutputPath, media.Duration ?? 0, size, elapsed.TotalSeconds);
            return new RenderResult(plan.OutputPath, thumbnailPath, media.Duration ?? 0, size, elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RenderingLog.RenderCancelled(logger, plan.OutputPath, Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
        finally
        {
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            if (!succeeded)
            {
                TryDeleteFile(plan.OutputPath);
                TryDeleteFile(thumbnailPath);
            }
            TryDeleteDirectory(workDirectory);
        }
    }

    /// <summary>The full ffmpeg argument list: our fixed flags, thread limits, then the plan's arguments.</summary>
    internal static List<string> BuildArguments(RenderPlan plan, int threads)
    {
        // -y: a retried attempt finds its own earlier partial output, and -nostdin means ffmpeg cannot ask.
        List<string> arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats", "-y"];
        if (threads <= 0)
        {
            arguments.AddRange(plan.Arguments);
            return arguments;
        }

        var count = threads.ToString(CultureInfo.InvariantCulture);
        arguments.AddRange(["-filter_threads", count, "-filter_complex_threads", count]);
        // -threads is positional: in front of the output it limits the encoders; at the start it would only touch the first decoder.
        var outputIndex = LastIndexOf(plan.Arguments, plan.OutputPath);
        for (var i = 0; i < plan.Arguments.Count; i++)
        {
            if (i == outputIndex) arguments.AddRange(["-threads", count]);
            arguments.Add(plan.Arguments[i]);
        }
        if (outputIndex < 0) arguments.InsertRange(8, ["-threads", count]);
        return arguments;
    }

    private async Task RunAsync(string ffmpeg, IReadOnlyList<string> arguments, string workDirectory, Action<string> onOutputLine, CancellationToken cancellationToken)
    {
        using var process = FfmpegProcess.Start(ffmpeg, arguments, workDirectory, onOutputLine);
        RenderingLog.ProcessStarted(logger, process.Id, arguments.Count);
        var exitCode = await process.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var stderr = process.StderrTail;
            RenderingLog.FfmpegFailed(logger, exitCode, stderr);
            throw new FfmpegException(exitCode, stderr);
        }
    }

    private async Task TakeThumbnailAsync(string ffmpeg, RenderPlan plan, string thumbnailPath, string workDirectory, CancellationToken cancellationToken)
    {
        TryDeleteFile(thumbnailPath);
        await RunAsync(ffmpeg, ThumbnailArguments(plan, plan.Thumbnail.Time, thumbnailPath), workDirectory, static _ => { }, cancellationToken).ConfigureAwait(false);
        // Seeking at or past the last frame decodes nothing and still exits 0; the first frame is a fair fallback.
        if (!File.Exists(thumbnailPath) && plan.Thumbnail.Time > 0)
        {
            RenderingLog.ThumbnailFallback(logger, plan.Thumbnail.Time);
            await RunAsync(ffmpeg, ThumbnailArguments(plan, 0, thumbnailPath), workDirectory, static _ => { }, cancellationToken).ConfigureAwait(false);
        }
        if (!File.Exists(thumbnailPath)) throw new FfmpegException(0, "ffmpeg wrote no thumbnail frame.");
    }

    private static string[] ThumbnailArguments(RenderPlan plan, double time, string thumbnailPath)
    {
        var width = plan.Thumbnail.Width > 0 ? plan.Thumbnail.Width : 320;
        return
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", Math.Max(0, time).ToString("0.###", CultureInfo.InvariantCulture),
            "-i", plan.OutputPath,
            "-frames:v", "1",
            "-vf", $"scale={width.ToString(CultureInfo.InvariantCulture)}:-2",
            "-q:v", "3",
            thumbnailPath,
        ];
    }

    // Its own thread, not a pool timer: under thread-pool starvation (seen in the xunit host on 2 cores, where
    // other code blocks pool threads) a PeriodicTimer went 1.3 s without ticking, and listeners rely on "once a second".
    private static Task HeartbeatOnOwnThread(MonotonicProgress reporter, CancellationToken stop) =>
        Task.Factory.StartNew(
            () =>
            {
                while (!stop.WaitHandle.WaitOne(HeartbeatTick)) reporter.Heartbeat();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static int LastIndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = values.Count - 1; i >= 0; i--)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RenderingLog.CleanupFailed(logger, path, e);
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RenderingLog.CleanupFailed(logger, path, e);
        }
    }
}
