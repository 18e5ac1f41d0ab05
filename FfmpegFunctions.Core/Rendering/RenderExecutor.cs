using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Runs a plan's ffmpeg passes in order in a private working directory (their work files live there) with progress
/// on stdout spanning all passes, then takes the
/// thumbnail and probes the result. The working directory is always removed; on failure or
/// cancellation the partial output and thumbnail are removed too.
/// </summary>
public sealed class RenderExecutor(FfmpegLocator locator, ChildProcessLauncher launcher, IMediaProbe probe, IOptions<FfmpegOptions> options, ILogger<RenderExecutor> logger) : IRenderExecutor
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
            foreach (var (name, content) in plan.WorkFiles) await File.WriteAllTextAsync(Path.Combine(workDirectory, name), content, cancellationToken).ConfigureAwait(false);
            reporter.Report(new RenderProgress(0, TimeSpan.Zero, null));

            RenderingLog.RenderStarting(logger, plan.OutputPath, plan.Duration, workDirectory);
            var passes = plan.Passes;
            var totalWeight = passes.Sum(p => Math.Max(p.Weight, 0));
            if (totalWeight <= 0) totalWeight = 1;
            var before = 0.0;
            var previousStderr = "";
            foreach (var pass in passes)
            {
                // Every pass covers the whole timeline; its percent is scaled into its share of the bar.
                var offset = before / totalWeight * 100;
                var share = Math.Max(pass.Weight, 0) / totalWeight;
                var parser = new FfmpegProgressParser(plan.Duration);
                RenderingLog.PassStarting(logger, pass.Name, pass.Feed.Count);
                // A pass (or a companion) made from a measurement gets its arguments now that the measuring pass ran.
                var passArguments = pass.Resolve is { } resolve ? resolve(previousStderr) : pass.Arguments;
                var measured = previousStderr;
                var alongside = pass.Alongside.Select(p => p.Resolve is { } r ? p with { Arguments = r(measured), Resolve = null } : p).ToList();
                previousStderr = await RunAsync(ffmpeg, BuildArguments(passArguments, settings.Threads, progress: true), workDirectory, line =>
                {
                    if (parser.Feed(line) is { } report) reporter.Report(report with { Percent = offset + report.Percent * share });
                }, pass.Feed, alongside, cancellationToken).ConfigureAwait(false);
                before += Math.Max(pass.Weight, 0);
            }

            // Both only read the finished output; side by side they cost one process start instead of two (~70 ms).
            var thumbnail = plan.TakeThumbnail ? TakeThumbnailAsync(ffmpeg, plan, thumbnailPath, workDirectory, cancellationToken) : Task.CompletedTask;
            var probing = probe.ProbeAsync(plan.OutputPath, cancellationToken);
            await Task.WhenAll(thumbnail, probing).ConfigureAwait(false);
            var media = await probing.ConfigureAwait(false);
            var size = new FileInfo(plan.OutputPath).Length;
            var elapsed = Stopwatch.GetElapsedTime(started);

            reporter.Complete();
            succeeded = true;
            RenderingLog.RenderFinished(logger, plan.OutputPath, media.Duration ?? 0, size, elapsed.TotalSeconds);
            return new RenderResult(plan.OutputPath, plan.TakeThumbnail ? thumbnailPath : "", media.Duration ?? 0, size, elapsed);
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
                if (plan.TakeThumbnail) TryDeleteFile(thumbnailPath);
            }
            TryDeleteDirectory(workDirectory);
        }
    }

    /// <summary>The final pass's full ffmpeg argument list: our fixed flags, thread limits, then the plan's arguments.</summary>
    internal static List<string> BuildArguments(RenderPlan plan, int threads) => BuildArguments(plan.Arguments, threads, progress: true);

    /// <summary>Our fixed flags, thread limits, then a pass's arguments (whose last argument is its output).</summary>
    internal static List<string> BuildArguments(IReadOnlyList<string> passArguments, int threads, bool progress)
    {
        // -y: a retried attempt finds its own earlier partial output, and -nostdin means ffmpeg cannot ask.
        List<string> arguments = progress
            ? ["-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats", "-y"]
            : ["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats"];
        if (threads <= 0)
        {
            arguments.AddRange(passArguments);
            return arguments;
        }

        var count = threads.ToString(CultureInfo.InvariantCulture);
        arguments.AddRange(["-filter_threads", count, "-filter_complex_threads", count]);
        // -threads is positional: in front of the output it limits the encoders; at the start it would only touch the first decoder.
        for (var i = 0; i < passArguments.Count; i++)
        {
            if (i == passArguments.Count - 1) arguments.AddRange(["-threads", count]);
            arguments.Add(passArguments[i]);
        }
        return arguments;
    }

    /// <summary>
    /// Runs one pass; with a feed, its stdin is the feed's processes' stdout, one after another; alongside processes run
    /// at the same time, writing FIFOs it reads. A failed companion is the cause, so it stops the pass and is what throws.
    /// </summary>
    /// <returns>The tail of its stderr (a measuring pass's result, for the pass after it).</returns>
    private async Task<string> RunAsync(
        string ffmpeg, IReadOnlyList<string> arguments, string workDirectory, Action<string> onOutputLine,
        IReadOnlyList<RenderPass> feed, IReadOnlyList<RenderPass> alongside, CancellationToken cancellationToken)
    {
        foreach (var pass in alongside) NamedPipe.Create(Path.Combine(workDirectory, pass.Arguments[^1]));
        using var process = await FfmpegProcess.StartAsync(launcher, ffmpeg, arguments, workDirectory, onOutputLine, keepInputOpen: feed.Count > 0, cancellationToken).ConfigureAwait(false);
        RenderingLog.ProcessStarted(logger, process.Id, arguments.Count);
        using var stopCompanions = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var companions = new List<Task>();
        if (feed.Count > 0) companions.Add(FeedAsync(ffmpeg, process, feed, workDirectory, stopCompanions.Token));
        foreach (var pass in alongside) companions.Add(RunAlongsideAsync(ffmpeg, pass, workDirectory, stopCompanions.Token));
        var companionFailed = new StrongBox<bool>();
        foreach (var companion in companions)
        {
            // Without its companion the pass would block on a FIFO or finish short on an early EOF: stop it.
            _ = companion.ContinueWith(_ =>
            {
                companionFailed.Value = true;
                process.Kill();
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync(stopCompanions, companions).ConfigureAwait(false);
            throw;
        }

        if (exitCode != 0 && !companionFailed.Value)
        {
            // The pass failed by itself; its companions only saw a broken pipe.
            await StopAsync(stopCompanions, companions).ConfigureAwait(false);
            var stderr = process.StderrTail;
            RenderingLog.FfmpegFailed(logger, exitCode, stderr);
            throw new FfmpegException(exitCode, stderr);
        }
        var all = Task.WhenAll(companions);
        if (exitCode == 0 && await Task.WhenAny(all, Task.Delay(options.Value.KillTimeout, cancellationToken)).ConfigureAwait(false) != all)
        {
            // A companion outlived a finished pass: its FIFO was never read (a plan bug), and it would block forever.
            await StopAsync(stopCompanions, companions).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FfmpegException(0, "A process running alongside the render did not finish with it: its output was never read.");
        }
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (FfmpegException e) when (exitCode == 0 && e.StderrTail.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase))
        {
            // The pass finished (its -t reached) and closed its end first: nothing it needed was lost.
        }
        if (exitCode != 0)
        {
            var stderr = process.StderrTail;
            RenderingLog.FfmpegFailed(logger, exitCode, stderr);
            throw new FfmpegException(exitCode, stderr);
        }
        return process.StderrTail;
    }

    private static async Task StopAsync(CancellationTokenSource stop, List<Task> companions)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(companions).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
    }

    private async Task RunAlongsideAsync(string ffmpeg, RenderPass pass, string workDirectory, CancellationToken cancellationToken)
    {
        using var process = await FfmpegProcess.StartAsync(launcher, ffmpeg, BuildArguments(pass.Arguments, options.Value.Threads, progress: false), workDirectory, static _ => { }, keepInputOpen: false, cancellationToken).ConfigureAwait(false);
        RenderingLog.ProcessStarted(logger, process.Id, pass.Arguments.Count);
        var exitCode = await process.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var stderr = process.StderrTail;
            RenderingLog.FfmpegFailed(logger, exitCode, stderr);
            throw new FfmpegException(exitCode, stderr);
        }
    }

    private async Task FeedAsync(string ffmpeg, FfmpegProcess consumer, IReadOnlyList<RenderPass> feed, string workDirectory, CancellationToken cancellationToken)
    {
        var input = consumer.StandardInput;
        try
        {
            foreach (var pass in feed)
            {
                using var producer = await FfmpegProcess.StartAsync(launcher, ffmpeg, BuildArguments(pass.Arguments, options.Value.Threads, progress: false), workDirectory, onOutputLine: null, keepInputOpen: false, cancellationToken).ConfigureAwait(false);
                RenderingLog.ProcessStarted(logger, producer.Id, pass.Arguments.Count);
                try
                {
                    await producer.StandardOutput.CopyToAsync(input, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The consumer exited (its own error is reported); disposing the producer kills it.
                    return;
                }
                var exitCode = await producer.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    var stderr = producer.StderrTail;
                    RenderingLog.FfmpegFailed(logger, exitCode, stderr);
                    throw new FfmpegException(exitCode, stderr);
                }
            }
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
                // Closing flushes; the consumer may already be gone.
            }
        }
    }

    private async Task TakeThumbnailAsync(string ffmpeg, RenderPlan plan, string thumbnailPath, string workDirectory, CancellationToken cancellationToken)
    {
        TryDeleteFile(thumbnailPath);
        await RunAsync(ffmpeg, ThumbnailArguments(plan, plan.Thumbnail.Time, thumbnailPath), workDirectory, static _ => { }, [], [], cancellationToken).ConfigureAwait(false);
        // Seeking at or past the last frame decodes nothing and still exits 0; the first frame is a fair fallback.
        if (!File.Exists(thumbnailPath) && plan.Thumbnail.Time > 0)
        {
            RenderingLog.ThumbnailFallback(logger, plan.Thumbnail.Time);
            await RunAsync(ffmpeg, ThumbnailArguments(plan, 0, thumbnailPath), workDirectory, static _ => { }, [], [], cancellationToken).ConfigureAwait(false);
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
