using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Rendering.Execution;

/// <summary>Real locator, probe and executor over a private temp directory that each test owns.</summary>
public sealed class ExecutionHarness : IDisposable
{
    public ExecutionHarness(Action<FfmpegOptions>? configure = null)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(OutputDirectory);
        Options = new FfmpegOptions { TempDirectory = TempDirectory };
        configure?.Invoke(Options);
        Locator = new FfmpegLocator(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<FfmpegLocator>.Instance);
        Probe = new FfprobeMediaProbe(Locator, Launcher, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new MediaLimits()), NullLogger<FfprobeMediaProbe>.Instance);
        Executor = new RenderExecutor(Locator, Launcher, Probe, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<RenderExecutor>.Instance);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-exec-" + Guid.NewGuid().ToString("N"));
    public string TempDirectory => Path.Combine(Root, "tmp");
    public string OutputDirectory => Path.Combine(Root, "out");
    public FfmpegOptions Options { get; }
    public FfmpegLocator Locator { get; }
    public ChildProcessLauncher Launcher { get; } = new(NullLogger<ChildProcessLauncher>.Instance);
    public FfprobeMediaProbe Probe { get; }
    public RenderExecutor Executor { get; }
    public TestMedia Media { get; } = new();

    /// <summary>A plan encoding a lavfi test pattern; <paramref name="realtime"/> reads the input at native rate (-re) so it lasts its duration.</summary>
    public RenderPlan TestPatternPlan(double seconds, bool realtime = false, string format = "mp4", string? videoFilter = null)
    {
        var output = Path.Combine(OutputDirectory, "render." + format);
        var arguments = new List<string>();
        if (realtime) arguments.Add("-re");
        arguments.AddRange(["-f", "lavfi", "-i", $"testsrc2=size=320x180:rate=25:duration={TestMedia.Num(seconds)}"]);
        if (videoFilter is not null) arguments.AddRange(["-vf", videoFilter]);
        if (format == "mp4") arguments.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        arguments.AddRange(["-y", output]);
        var outputSpec = new OutputSpec { Width = 320, Height = 180, Fps = 25, Format = format == "gif" ? OutputFormat.Gif : OutputFormat.Mp4 };
        return new RenderPlan(arguments, seconds, output, outputSpec, new ThumbnailPlan(Math.Min(1, seconds / 2), 160));
    }

    /// <summary>Render working directories still under the temp directory (there should be none after a render).</summary>
    public string[] LeftoverWorkDirectories() => Directory.GetDirectories(TempDirectory, "ffmpegfunctions-render-*");

    /// <summary>Ids of running processes whose command line mentions <paramref name="text"/> (Linux /proc).</summary>
    public static int[] ProcessesMentioning(string text)
    {
        var ids = new List<int>();
        foreach (var process in Process.GetProcesses())
        {
            using (process)
            {
                try
                {
                    var cmdline = File.ReadAllText($"/proc/{process.Id}/cmdline");
                    if (cmdline.Contains(text, StringComparison.Ordinal)) ids.Add(process.Id);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
        return [.. ids];
    }

    public void Dispose()
    {
        Launcher.Dispose();
        Media.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Records every report synchronously with the time it arrived (Progress&lt;T&gt; would reorder them).</summary>
public sealed class RecordingProgress : IProgress<RenderProgress>
{
    private readonly Lock gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, RenderProgress Report)> reports = [];

    public IReadOnlyList<(TimeSpan At, RenderProgress Report)> Reports
    {
        get { lock (gate) return [.. reports]; }
    }

    public void Report(RenderProgress value)
    {
        lock (gate) reports.Add((clock.Elapsed, value));
    }
}
