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
/// (a) by planner + RenderExecutor, optionally (b) the previous planner's single-graph plan through the same
/// executor and (c) MLT's melt; runs alternate so machine noise hits all alike. Peak RSS is the largest sum over
/// the processes running at once (the render and its alongside audio process).
/// </summary>
internal static class CompositionBenchmark
{
    private const double ClipSeconds = 15.75;

    /// <summary>The bench composition's sources, generated and probed (not timed); shared with the preview and segment benchmarks.</summary>
    /// <param name="clips">How many 720p30 clips (with a sine each) to make.</param>
    /// <param name="sourceSeconds">Each clip's length: a little more than the spec trims it to.</param>
    public static async Task<Dictionary<string, LocalInput>> PrepareAsync(BenchWorkspace workspace, int clips = 4, int sourceSeconds = 16)
    {
        Console.WriteLine("preparing inputs (not timed)...");
        var sources = new Dictionary<string, string>();
        for (var i = 0; i < clips; i++)
        {
            var clip = workspace.PathFor($"clip{i}.mp4");
            await workspace.RunDirectAsync([
                "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration={sourceSeconds}",
                "-f", "lavfi", "-i", $"sine=frequency={330 + 110 * i}:sample_rate=48000:duration={sourceSeconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]);
            sources[$"inputs/bench/clip{i}.mp4"] = clip;
        }
        var logo = workspace.PathFor("logo.png");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "color=c=white@0.8:size=200x80,format=rgba", "-frames:v", "1", logo]);
        sources["inputs/bench/logo.png"] = logo;
        var music = workspace.PathFor("music.m4a");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=25", "-c:a", "aac", music]);
        sources["inputs/bench/music.m4a"] = music;

        var probe = workspace.Probe;
        var inputs = new Dictionary<string, LocalInput>(StringComparer.Ordinal);
        foreach (var (key, path) in sources) inputs[key] = new LocalInput(path, await probe.ProbeAsync(path, CancellationToken.None));

        return inputs;
    }

    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs, IReadOnlyList<string> options)
    {
        var inputs = await PrepareAsync(workspace);
        var spec = Spec();
        var errors = SpecValidator.Validate(spec);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var planner = new RenderPlanner();
        var outputDir = workspace.PathFor("out");
        Directory.CreateDirectory(outputDir);
        var finalOutput = Path.Combine(outputDir, "final.mp4");
        var baseline = Baseline(workspace, options, finalOutput, planner.Plan(spec, inputs, finalOutput));
        if (Environment.GetEnvironmentVariable("BENCH_DUMP") is { } dump)
        {
            // For side-by-side experiments outside the bench: the passes with the scratch directory as {root}.
            IEnumerable<string> Rooted(IReadOnlyList<string> arguments) => arguments.Select(a => a.Replace(workspace.Root, "{root}", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(dump, "composition.json"), System.Text.Json.JsonSerializer.Serialize(
                planner.Plan(spec, inputs, finalOutput).Passes.Select(p => new { p.Name, Arguments = Rooted(p.Arguments), Alongside = p.Alongside.Select(a => Rooted(a.Arguments)) })));
            return 0;
        }
        var melt = MeltAvailable() ? MeltArguments(workspace, Path.Combine(outputDir, "melt.mp4")) : null;
        if (melt is null) Console.WriteLine("melt not found on PATH: the MLT peer is skipped (apt-get install melt)");

        var pipeline = new List<double>();
        var pipelinePeak = new List<long>();
        var old = new List<double>();
        var oldPeak = new List<long>();
        var peer = new List<double>();
        var peerPeak = new List<long>();
        double duration = 0;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            RenderResult result;
            using (var sampler = new RssSampler())
            {
                var plan = planner.Plan(spec, inputs, finalOutput);
                result = await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
                sampler.Stop();
                pipelinePeak.Add(sampler.ConcurrentPeakKb);
            }
            pipeline.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            duration = result.Duration;
            var line = $"run {i + 1}: planner+executor {pipeline[^1]:0.00} s ({Mb(pipelinePeak[^1])} MB)";

            if (baseline is not null)
            {
                started = Stopwatch.GetTimestamp();
                using var sampler = new RssSampler();
                await workspace.Executor.RenderAsync(baseline, null, CancellationToken.None);
                sampler.Stop();
                old.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                oldPeak.Add(sampler.ConcurrentPeakKb);
                line += $", old single-graph plan+executor {old[^1]:0.00} s ({Mb(oldPeak[^1])} MB)";
            }
            if (melt is not null)
            {
                using var sampler = new RssSampler();
                peer.Add((await workspace.RunAsync("melt", melt)).TotalSeconds);
                sampler.Stop();
                peerPeak.Add(sampler.ConcurrentPeakKb);
                line += $", melt {peer[^1]:0.00} s ({Mb(peerPeak[^1])} MB)";
            }
            Console.WriteLine(line + $"; {result.Duration:0.00} s of output, load {Load()}");
        }

        var pipelineMedian = BenchWorkspace.Median(pipeline);
        Console.WriteLine($"composition: 60 s 720p30 veryfast, 4 clips, 3 fades, image + text overlay, looped music; N={runs}, {Environment.ProcessorCount} cores, load {Load()}");
        Console.WriteLine($"  planner+executor median {pipelineMedian:0.00} s");
        Console.WriteLine($"  planner+executor peak RSS median {Mb(Median(pipelinePeak))} MB; realtime factor x{duration / pipelineMedian:0.00}");
        if (old.Count > 0)
            Console.WriteLine($"  old single-graph plan median {BenchWorkspace.Median(old):0.00} s, peak {Mb(Median(oldPeak))} MB; new/old time ratio {pipelineMedian / BenchWorkspace.Median(old):0.000} (target <= 1.03)");
        if (peer.Count > 0)
            Console.WriteLine($"  melt median {BenchWorkspace.Median(peer):0.00} s, peak {Mb(Median(peerPeak))} MB; ours/melt time ratio {pipelineMedian / BenchWorkspace.Median(peer):0.000}");
        return 0;
    }

    /// <summary>
    /// The plan as the previous planner made it (one graph with the audio chain), read from <c>baseline=FILE</c>: a
    /// JSON array of its arguments with <c>{root}</c> for the scratch directory (dumped from the old commit's bench).
    /// </summary>
    private static RenderPlan? Baseline(BenchWorkspace workspace, IReadOnlyList<string> options, string output, RenderPlan current)
    {
        if (options.FirstOrDefault(o => o.StartsWith("baseline=", StringComparison.Ordinal)) is not { } option) return null;
        var arguments = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(option["baseline=".Length..]))!;
        return current with { Arguments = [.. arguments.Select(a => a.Replace("{root}", workspace.Root, StringComparison.Ordinal))], Prepasses = [], FinalFeed = [], FinalAlongside = [], FinalWeight = 1 };
    }

    /// <summary>
    /// The same composition for MLT's melt 7.12: the clips as 473-frame cuts joined by 30-frame luma/mix transitions,
    /// the logo as a watermark, the text with pango (in/out = 2 s to 58 s), the music repeated to 1802 frames at 0.3 gain
    /// and mixed under the clips. Not modelled: the music's fades and the clips' 0.8 gain (negligible work).
    /// </summary>
    /// <param name="clips">Clips of <paramref name="clipFrames"/> frames each, joined by 30-frame fades (the defaults: the 60 s spec).</param>
    internal static List<string> MeltArguments(BenchWorkspace workspace, string output, int clips = 4, int clipFrames = 473)
    {
        List<string> arguments = ["-silent", "-profile", "atsc_720p_30"];
        for (var i = 0; i < clips; i++)
        {
            arguments.AddRange([workspace.PathFor($"clip{i}.mp4"), "in=0", "out=" + (clipFrames - 1)]);
            if (i > 0) arguments.AddRange(["-mix", "30", "-mixer", "luma", "-mixer", "mix:-1"]);
        }
        var total = clips * clipFrames - (clips - 1) * 30;
        arguments.AddRange(["-filter", "watermark:" + workspace.PathFor("logo.png"), "composite.geometry=1064/16:200x80:80"]);
        // The text from 2 s to 2 s before the nominal end (60 s: frames 60 to 1739).
        var textOut = (int)Math.Round(total / 30.0) * 30 - 61;
        arguments.AddRange(["-filter", "text:FfmpegFunctions", "in=60", "out=" + textOut, "geometry=16/616:800x80", "size=36", "fgcolour=white", "bgcolour=0x00000080", "family=Sans"]);
        var music = workspace.PathFor("music.m4a");
        // 25 s of music is 750 frames: whole plays, then a cut one, make the video's length (60 s: 2 x 750 + 302 = 1802).
        arguments.Add("-audio-track");
        for (var i = 0; i < total / 750; i++) arguments.Add(music);
        arguments.AddRange([music, "in=0", "out=" + (total % 750 - 1), "-filter", "volume", "gain=0.3"]);
        arguments.AddRange(["-transition", "mix", "a_track=0", "b_track=1", "always_active=1", "sum=1"]);
        arguments.AddRange(["-consumer", "avformat:" + output, "vcodec=libx264", "preset=veryfast", "crf=23", "acodec=aac", "ab=128k", "real_time=-2"]);
        return arguments;
    }

    internal static bool MeltAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "melt")));

    internal static long Median(List<long> values) => (long)BenchWorkspace.Median(values.Select(v => (double)v));

    internal static string Mb(long kilobytes) => (kilobytes / 1024.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>
    /// The bench composition: <paramref name="clips"/> clips of <paramref name="clipSeconds"/> with one-second fades
    /// between them, the logo, the text from 2 s to 2 s before the end, the looped music bed. The defaults are the 60 s one.
    /// </summary>
    public static CompositionSpec Spec(int clips = 4, double clipSeconds = ClipSeconds) => new()
    {
        Title = "bench",
        Output = new OutputSpec { Width = 1280, Height = 720, Fps = 30, Preset = "veryfast" },
        Clips = [.. Enumerable.Range(0, clips).Select(i => new ClipSpec
        {
            Source = $"inputs/bench/clip{i}.mp4",
            Trim = new TrimSpec { Start = 0, End = clipSeconds },
            Transition = i < clips - 1 ? new TransitionSpec { Type = "fade", Duration = 1 } : null,
        })],
        Audio = new AudioSpec { Source = "inputs/bench/music.m4a", Volume = 0.3, FadeIn = 1, FadeOut = 2, Loop = true, ClipAudio = 0.8 },
        Overlays =
        [
            new ImageOverlaySpec { Source = "inputs/bench/logo.png", Position = Position.TopRight, Width = 200, Opacity = 0.8 },
            new TextOverlaySpec { Text = "FfmpegFunctions", Position = Position.BottomLeft, FontSize = 36, Box = true, Start = 2, End = clips * clipSeconds - (clips - 1) - 2 },
        ],
    };
}
