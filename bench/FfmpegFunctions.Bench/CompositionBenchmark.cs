using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Bench;

/// <summary>
/// A 60 s 720p30 composition (4 clips, 3 one-second fades, a logo overlay, a text overlay and a
/// looped, faded music bed) planned by RenderPlanner from a spec and probed inputs, then rendered
/// (a) by planner + RenderExecutor and (b) by running the plan's ffmpeg command directly; runs
/// alternate so machine noise hits both alike.
/// </summary>
internal static class CompositionBenchmark
{
    private const double ClipSeconds = 15.75;

    /// <summary>The bench composition's sources, generated and probed (not timed); shared with the preview benchmark.</summary>
    public static async Task<Dictionary<string, LocalInput>> PrepareAsync(BenchWorkspace workspace)
    {
        Console.WriteLine("preparing inputs (not timed)...");
        var sources = new Dictionary<string, string>();
        for (var i = 0; i < 4; i++)
        {
            var clip = workspace.PathFor($"clip{i}.mp4");
            await workspace.RunDirectAsync([
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=16",
                "-f", "lavfi", "-i", $"sine=frequency={330 + 110 * i}:sample_rate=48000:duration=16",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]);
            sources[$"inputs/bench/clip{i}.mp4"] = clip;
        }
        var logo = workspace.PathFor("logo.png");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "color=c=white@0.8:size=200x80,format=rgba", "-frames:v", "1", logo]);
        sources["inputs/bench/logo.png"] = logo;
        var music = workspace.PathFor("music.m4a");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=25", "-c:a", "aac", music]);
        sources["inputs/bench/music.m4a"] = music;

        var probe = new FfprobeMediaProbe(workspace.Locator, Options.Create(new FfmpegOptions { TempDirectory = workspace.Root }), NullLogger<FfprobeMediaProbe>.Instance);
        var inputs = new Dictionary<string, LocalInput>(StringComparer.Ordinal);
        foreach (var (key, path) in sources) inputs[key] = new LocalInput(path, await probe.ProbeAsync(path, CancellationToken.None));

        return inputs;
    }

    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs)
    {
        var inputs = await PrepareAsync(workspace);
        var spec = Spec();
        var errors = SpecValidator.Validate(spec);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var planner = new RenderPlanner();
        var outputDir = workspace.PathFor("out");
        Directory.CreateDirectory(outputDir);
        var directOutput = Path.Combine(outputDir, "direct.mp4");
        var directArguments = planner.Plan(spec, inputs, directOutput).Arguments;

        var direct = new List<double>();
        var pipeline = new List<double>();
        double duration = 0;
        for (var i = 0; i < runs; i++)
        {
            direct.Add((await workspace.RunDirectAsync(directArguments)).TotalSeconds);

            var started = Stopwatch.GetTimestamp();
            var plan = planner.Plan(spec, inputs, Path.Combine(outputDir, "final.mp4"));
            var result = await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
            pipeline.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            duration = result.Duration;
            Console.WriteLine($"run {i + 1}: direct {direct[^1]:0.00} s, planner+executor {pipeline[^1]:0.00} s for {result.Duration:0.00} s of output ({result.SizeBytes / 1024} KiB)");
        }

        var directMedian = BenchWorkspace.Median(direct);
        var pipelineMedian = BenchWorkspace.Median(pipeline);
        Console.WriteLine($"composition: 60 s 720p30 veryfast, 4 clips, 3 fades, image + text overlay, looped music; N={runs}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  direct ffmpeg median {directMedian:0.00} s, planner+executor median {pipelineMedian:0.00} s, ratio {pipelineMedian / directMedian:0.000} (target <= 1.03)");
        Console.WriteLine($"  realtime factor x{duration / pipelineMedian:0.00}");
        return 0;
    }

    public static CompositionSpec Spec() => new()
    {
        Title = "bench",
        Output = new OutputSpec { Width = 1280, Height = 720, Fps = 30, Preset = "veryfast" },
        Clips = [.. Enumerable.Range(0, 4).Select(i => new ClipSpec
        {
            Source = $"inputs/bench/clip{i}.mp4",
            Trim = new TrimSpec { Start = 0, End = ClipSeconds },
            Transition = i < 3 ? new TransitionSpec { Type = "fade", Duration = 1 } : null,
        })],
        Audio = new AudioSpec { Source = "inputs/bench/music.m4a", Volume = 0.3, FadeIn = 1, FadeOut = 2, Loop = true, ClipAudio = 0.8 },
        Overlays =
        [
            new ImageOverlaySpec { Source = "inputs/bench/logo.png", Position = Position.TopRight, Width = 200, Opacity = 0.8 },
            new TextOverlaySpec { Text = "FfmpegFunctions", Position = Position.BottomLeft, FontSize = 36, Box = true, Start = 2, End = 58 },
        ],
    };
}
