using System.Diagnostics;

namespace FfmpegFunctions.Bench.Workflow;

/// <summary>
/// How long a cancel takes to kill ffmpeg: from the cancel call to no ffmpeg left under the engine's work folder.
/// The target is 3 s; the tests assert only a loose bound (Tests/Support/StopBound.cs), as their machines are loaded.
/// </summary>
internal static class StopLatency
{
    public static async Task<double> MeasureAsync(string workRoot, Func<Task<Guid>> start, Func<Guid, Task> cancel, CancellationToken cancellationToken)
    {
        var id = await start();
        await UntilAsync(() => FfmpegUnder(workRoot) > 0, TimeSpan.FromMinutes(2), "ffmpeg to start", cancellationToken);
        // Let the encode get under way, as a user's cancel would find it.
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        if (FfmpegUnder(workRoot) == 0) throw new InvalidOperationException("The render ended before it could be cancelled: make it longer.");
        var stopwatch = Stopwatch.StartNew();
        await cancel(id);
        await UntilAsync(() => FfmpegUnder(workRoot) == 0, TimeSpan.FromSeconds(30), "ffmpeg to stop", cancellationToken);
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>ffmpeg processes whose command line names the work folder (their inputs and outputs are under it).</summary>
    private static int FfmpegUnder(string workRoot)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var isFfmpeg = cmdline.StartsWith("ffmpeg\0", StringComparison.Ordinal) || cmdline.Contains("/ffmpeg\0", StringComparison.Ordinal);
                if (isFfmpeg && cmdline.Contains(workRoot, StringComparison.Ordinal)) count++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return count;
    }
}
