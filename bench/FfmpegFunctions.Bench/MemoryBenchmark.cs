using System.Diagnostics;
using System.Globalization;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Bench;

/// <summary>
/// ffmpeg's peak RSS against clip count (1080p, clip audio, a looped music bed, a fade between every
/// pair) and against GIF length (720p). Each render goes through RenderExecutor, as in production, while
/// <see cref="RssSampler"/> polls the ffmpeg processes it starts.
/// </summary>
internal static class MemoryBenchmark
{
    private const double ClipSeconds = 2;
    private static readonly int[] ClipCounts = [2, 4, 8, 16, 20];
    private static readonly int[] GifSeconds = [15, 30, 60];

    public static async Task<int> RunAsync(BenchWorkspace workspace, IReadOnlyList<string> options)
    {
        var clipCounts = Numbers(options, "clips=") ?? ClipCounts;
        var gifSeconds = Numbers(options, "gif=") ?? GifSeconds;
        // Spec v2 on top of the clip list: two picture-in-picture layers, a voice-over ducking the music, loudness.
        var v2Counts = Numbers(options, "v2=") ?? [];
        Console.WriteLine("preparing inputs (not timed)...");
        var inputs = await PrepareInputsAsync(workspace, gifSeconds.DefaultIfEmpty(0).Max());
        var planner = new RenderPlanner();

        Console.WriteLine($"memory: ffmpeg peak RSS per render, {Environment.ProcessorCount} cores, load {Load()}");
        Console.WriteLine("| render | passes / processes | peak RSS of one ffmpeg (MB) | peak RSS of ffmpegs at once (MB) | output (s) | wall (s) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var count in clipCounts)
        {
            var plan = planner.Plan(ClipsSpec(count), inputs, workspace.PathFor($"out/clips{count}.mp4"));
            await MeasureAsync(workspace, $"{count} clips 1080p30, audio + music, {count - 1} fades", plan);
        }
        foreach (var count in v2Counts)
        {
            var plan = planner.Plan(V2Spec(count), inputs, workspace.PathFor($"out/v2-{count}.mp4"));
            await MeasureAsync(workspace, $"{count} clips 1080p30 + 2 layers, voice ducking music, loudness", plan);
        }
        foreach (var seconds in gifSeconds)
        {
            var plan = planner.Plan(GifSpec(seconds), inputs, workspace.PathFor($"out/gif{seconds}.gif"));
            await MeasureAsync(workspace, $"GIF {seconds} s 720p15", plan);
        }
        return 0;
    }

    private static async Task MeasureAsync(BenchWorkspace workspace, string name, RenderPlan plan)
    {
        if (Environment.GetEnvironmentVariable("BENCH_DUMP") is { } dump)
            File.WriteAllText(Path.Combine(dump, Path.GetFileName(plan.OutputPath) + ".json"), System.Text.Json.JsonSerializer.Serialize(plan.Passes));
        Directory.CreateDirectory(Path.GetDirectoryName(plan.OutputPath)!);
        var started = Stopwatch.GetTimestamp();
        using var sampler = new RssSampler();
        var result = await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
        sampler.Stop();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var processes = plan.Passes.Count + plan.Passes.Sum(p => p.Feed.Count + p.Alongside.Count);
        Console.WriteLine($"| {name} | {plan.Passes.Count} / {processes} | {Mb(sampler.ProcessPeakKb)} | {Mb(sampler.ConcurrentPeakKb)} | {result.Duration:0.00} | {elapsed.TotalSeconds:0.0} |");
        File.Delete(plan.OutputPath);
    }

    private static async Task<Dictionary<string, LocalInput>> PrepareInputsAsync(BenchWorkspace workspace, int gifSeconds)
    {
        var sources = new Dictionary<string, string>();
        // Four distinct 1080p sources reused round-robin: each clip is still its own -i input and decoder.
        for (var i = 0; i < 4; i++)
        {
            var clip = workspace.PathFor($"hd{i}.mp4");
            await workspace.RunDirectAsync([
                "-f", "lavfi", "-i", $"testsrc2=size=1920x1080:rate=30:duration={ClipSeconds + 0.5}",
                "-f", "lavfi", "-i", $"sine=frequency={330 + 110 * i}:sample_rate=48000:duration={ClipSeconds + 0.5}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]);
            sources[$"hd{i}"] = clip;
        }
        if (gifSeconds > 0)
        {
            var gif = workspace.PathFor("gifsource.mp4");
            await workspace.RunDirectAsync([
                "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration={gifSeconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", gif]);
            sources["gifsource"] = gif;
        }
        var music = workspace.PathFor("music.m4a");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=7", "-c:a", "aac", music]);
        sources["music"] = music;

        var probe = workspace.Probe;
        var inputs = new Dictionary<string, LocalInput>(StringComparer.Ordinal);
        foreach (var (key, path) in sources) inputs[key] = new LocalInput(path, await probe.ProbeAsync(path, CancellationToken.None));
        return inputs;
    }

    private static CompositionSpec ClipsSpec(int count) => Valid(new CompositionSpec
    {
        Title = "memory",
        Output = new OutputSpec { Width = 1920, Height = 1080, Fps = 30, Preset = "ultrafast" },
        Clips = [.. Enumerable.Range(0, count).Select(i => new ClipSpec
        {
            Source = $"hd{i % 4}",
            Trim = new TrimSpec { Start = 0, End = ClipSeconds },
            Transition = i < count - 1 ? new TransitionSpec { Type = "fade", Duration = 0.5 } : null,
        })],
        Audio = new AudioSpec { Source = "music", Volume = 0.3, FadeIn = 1, FadeOut = 1, Loop = true, ClipAudio = 0.8 },
    });

    private static CompositionSpec V2Spec(int count) => Valid(ClipsSpec(count) with
    {
        Output = ClipsSpec(count).Output with { Loudness = new LoudnessSpec() },
        Layers =
        [
            new LayerSpec { Source = "hd1", Start = 0.5, Duration = 1.5, Position = Position.TopRight, Scale = 0.3 },
            new LayerSpec { Source = "hd2", Start = 1, Duration = 1.5, Position = Position.BottomLeft, Scale = 0.25, FadeIn = 0.3 },
        ],
        AudioTracks = [new AudioTrackSpec { Source = "music", Role = AudioRole.Voice, Start = 1, Duration = 3 }],
    });

    private static CompositionSpec GifSpec(int seconds) => Valid(new CompositionSpec
    {
        Title = "memory-gif",
        Output = new OutputSpec { Width = 1280, Height = 720, Fps = 15, Format = OutputFormat.Gif },
        Clips = [new ClipSpec { Source = "gifsource", Trim = new TrimSpec { Start = 0, End = seconds } }],
    });

    private static CompositionSpec Valid(CompositionSpec spec)
    {
        var errors = SpecValidator.Validate(spec);
        return errors.Count == 0 ? spec : throw new InvalidOperationException(string.Join("; ", errors));
    }

    private static int[]? Numbers(IReadOnlyList<string> options, string prefix) =>
        options.FirstOrDefault(o => o.StartsWith(prefix, StringComparison.Ordinal)) is { } option
            ? [.. option[prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))]
            : null;

    private static string Mb(long kilobytes) => (kilobytes / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
