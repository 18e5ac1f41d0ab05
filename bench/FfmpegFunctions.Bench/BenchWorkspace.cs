using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Bench;

/// <summary>A scratch directory with a real locator, probe and executor, removed at the end.</summary>
internal sealed class BenchWorkspace : IDisposable
{
    public BenchWorkspace()
    {
        Directory.CreateDirectory(Root);
        var options = Options.Create(new FfmpegOptions { TempDirectory = Root });
        Locator = new FfmpegLocator(options, NullLogger<FfmpegLocator>.Instance);
        Probe = new FfprobeMediaProbe(Locator, Launcher, options, Options.Create(new MediaLimits()), NullLogger<FfprobeMediaProbe>.Instance);
        Executor = new RenderExecutor(Locator, Launcher, Probe, options, NullLogger<RenderExecutor>.Instance);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-bench-" + Guid.NewGuid().ToString("N"));
    public FfmpegLocator Locator { get; }
    public ChildProcessLauncher Launcher { get; } = new(NullLogger<ChildProcessLauncher>.Instance);
    public FfprobeMediaProbe Probe { get; }
    public RenderExecutor Executor { get; }

    public string PathFor(string name) => Path.Combine(Root, name);

    public static RenderPlan Plan(IReadOnlyList<string> arguments, double duration, string output) =>
        new(arguments, duration, output, new OutputSpec(), new ThumbnailPlan(Math.Min(1, duration / 2), 320));

    /// <summary>The executor's whole job done by hand: the encode, then thumbnail and probe side by side.</summary>
    public async Task<TimeSpan> RunDirectWithThumbnailAndProbeAsync(IReadOnlyList<string> arguments, string output)
    {
        var started = Stopwatch.GetTimestamp();
        await RunDirectAsync(arguments);
        var thumbnail = RunDirectAsync(["-ss", "1", "-i", output, "-frames:v", "1", "-vf", "scale=320:-2", "-q:v", "3", Path.Combine(Path.GetDirectoryName(output)!, "direct-thumbnail.jpg")]);
        var probe = RunAsync(Locator.GetFfprobePath(), ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "file:" + output], null, null);
        await Task.WhenAll(thumbnail, probe);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Runs ffmpeg the plain way (the baseline): same binary, quiet, no progress, no thumbnail.</summary>
    public Task<TimeSpan> RunDirectAsync(IReadOnlyList<string> arguments, string? workDirectory = null) =>
        RunAsync(Locator.GetFfmpegPath(), ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments], workDirectory, null);

    /// <summary>Runs any binary, failing on a non-zero exit; returns its wall time.</summary>
    public Task<TimeSpan> RunAsync(string binary, IReadOnlyList<string> arguments) => RunAsync(binary, arguments, null, null);

    private static async Task<TimeSpan> RunAsync(string binary, IReadOnlyList<string> arguments, string? workDirectory, List<string>? stderrLines)
    {
        var started = Stopwatch.GetTimestamp();
        var startInfo = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workDirectory ?? "" };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{binary} failed: {stderr}");
        stderrLines?.AddRange(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return Stopwatch.GetElapsedTime(started);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public void Dispose()
    {
        Launcher.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
