using System.Diagnostics;
using System.Globalization;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Bench;

/// <summary>
/// A 3-minute 720p30 composition (6 clips of 925 frames, 5 one-second fades, the logo, the text from 2 s to 178 s,
/// the looped music bed; veryfast) rendered (a) in one pass by planner + RenderExecutor and (b) in segments on one
/// instance: the audio part, then every segment one after another, then the join, each through RenderExecutor as
/// the workflow's steps run them. Runs alternate (and swap which goes first) so machine noise hits both alike.
/// From the measured part times it computes what a fan-out over W workers gives: the critical path when the segments
/// and the audio part are list-scheduled longest-first onto W workers, followed by the join. Beside wall time it takes
/// the CPU time of the processes each part ran (ffmpeg, its feeds, ffprobe), which a loaded box hardly moves.
/// </summary>
internal static class SegmentBenchmark
{
    private const int Clips = 6;
    private const double ClipSeconds = 925 / 30.0; // 6 x 925 frames - 5 x 30 frames of fades = 5400 frames = 180 s
    private static readonly int[] Workers = [2, 4, 8];

    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var segmentSeconds = options.FirstOrDefault(o => o.StartsWith("segment=", StringComparison.Ordinal)) is { } option
            ? double.Parse(option["segment=".Length..], CultureInfo.InvariantCulture)
            : 60;
        var inputs = await CompositionBenchmark.PrepareAsync(workspace, Clips, sourceSeconds: 31);
        var spec = CompositionBenchmark.Spec(Clips, ClipSeconds);
        var errors = SpecValidator.Validate(spec);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var planner = new RenderPlanner();
        var windows = planner.Windows(spec, inputs, segmentSeconds);
        var clipStarts = ClipStartFrames(spec);
        Console.WriteLine($"{windows.Count} segments at segment={segmentSeconds.ToString(CultureInfo.InvariantCulture)}: "
            + string.Join(", ", windows.Select(w => $"[{w.StartFrame}, {w.EndFrame}) {w.Frames / 30.0:0.00} s{Preroll(w, clipStarts)}")));

        var singleDir = workspace.PathFor("single");
        var partsDir = workspace.PathFor("parts");
        Directory.CreateDirectory(singleDir);
        Directory.CreateDirectory(partsDir);
        var singleOutput = Path.Combine(singleDir, "final.mp4");
        var joinedOutput = Path.Combine(singleDir, "joined.mp4");
        var audioPath = Path.Combine(partsDir, "audio.mp4");
        var segmentPaths = windows.Select(w => Path.Combine(partsDir, $"{w.Index:D4}.mp4")).ToList();

        List<double> single = [], segmented = [], audio = [], join = [];
        List<double> singleCpu = [], segmentedCpu = [], audioCpu = [], joinCpu = [];
        List<long> singlePeak = [], segmentedPeak = [];
        var segments = windows.Select(_ => new List<double>()).ToList();
        var segmentsCpu = windows.Select(_ => new List<double>()).ToList();
        for (var i = 0; i < runs; i++)
        {
            // Which render goes first swaps every run: a drifting load then touches both alike.
            if (i % 2 == 0) await SingleAsync();
            await SegmentedAsync();
            if (i % 2 == 1) await SingleAsync();
            Console.WriteLine($"run {i + 1}: single {single[^1]:0.00} s ({CompositionBenchmark.Mb(singlePeak[^1])} MB), segmented {segmented[^1]:0.00} s "
                + $"({CompositionBenchmark.Mb(segmentedPeak[^1])} MB) = audio {audio[^1]:0.00} + segments {string.Join(" + ", segments.Select(s => s[^1].ToString("0.00", CultureInfo.InvariantCulture)))} + join {join[^1]:0.00}; "
                + $"CPU single {singleCpu[^1]:0.00} s, segmented {segmentedCpu[^1]:0.00} s; load {CompositionBenchmark.Load()}");
            if (i == 0) await CheckAsync(workspace, singleOutput, joinedOutput, cancellationToken);
        }

        var singleMedian = BenchWorkspace.Median(single);
        var segmentedMedian = BenchWorkspace.Median(segmented);
        var segmentMedians = segments.Select(BenchWorkspace.Median).ToList();
        var audioMedian = BenchWorkspace.Median(audio);
        var joinMedian = BenchWorkspace.Median(join);
        Console.WriteLine($"segments: 180 s 720p30 veryfast, {Clips} clips, {Clips - 1} fades, image + text overlay, looped music; segment={segmentSeconds.ToString(CultureInfo.InvariantCulture)} s -> {windows.Count} segments; N={runs}, {Environment.ProcessorCount} cores, load {CompositionBenchmark.Load()}");
        Console.WriteLine($"  single pass median {singleMedian:0.00} s (peak RSS {CompositionBenchmark.Mb(CompositionBenchmark.Median(singlePeak))} MB)");
        Console.WriteLine($"  segmented, one instance, parts one after another: median {segmentedMedian:0.00} s (peak RSS {CompositionBenchmark.Mb(CompositionBenchmark.Median(segmentedPeak))} MB)");
        Console.WriteLine($"  overhead segmented/single {segmentedMedian / singleMedian:0.000} (target <= 1.05)");
        var singleCpuMedian = BenchWorkspace.Median(singleCpu);
        Console.WriteLine($"  CPU (user+sys of the processes run) median: single {singleCpuMedian:0.00} s, segmented {BenchWorkspace.Median(segmentedCpu):0.00} s, ratio {BenchWorkspace.Median(segmentedCpu) / singleCpuMedian:0.000}; "
            + $"audio {BenchWorkspace.Median(audioCpu):0.00} s, join {BenchWorkspace.Median(joinCpu):0.00} s, segments "
            + string.Join(", ", windows.Select(w => $"#{w.Index} {BenchWorkspace.Median(segmentsCpu[w.Index]):0.00} s ({BenchWorkspace.Median(segmentsCpu[w.Index]) * 1000 / w.Frames:0.0} ms/frame)"))
            + $"; single {singleCpuMedian * 1000 / windows.Sum(w => w.Frames):0.0} ms/frame");
        Console.WriteLine($"  parts (medians): audio {audioMedian:0.00} s, join {joinMedian:0.00} s, segments "
            + string.Join(", ", windows.Select(w => $"#{w.Index} {w.Frames / 30.0:0.0} s of video: {segmentMedians[w.Index]:0.00} s")));
        Console.WriteLine($"  sum of segment medians {segmentMedians.Sum():0.00} s; audio + segments + join {audioMedian + segmentMedians.Sum() + joinMedian:0.00} s");
        foreach (var w in Workers)
        {
            var makespan = Makespan([.. segmentMedians, audioMedian], w);
            var critical = makespan + joinMedian;
            Console.WriteLine($"  W={w}: critical path {makespan:0.00} + join {joinMedian:0.00} = {critical:0.00} s; speedup single/critical path x{singleMedian / critical:0.00}");
        }
        if (options.Contains("melt"))
        {
            // The peer on the same 3-minute composition, once after the runs (it takes longest): the composition
            // section's melt command with 6 clips of 925 frames.
            if (!CompositionBenchmark.MeltAvailable()) throw new InvalidOperationException("melt is not on PATH (apt-get install melt)");
            using var sampler = new RssSampler();
            var meltWall = (await workspace.RunAsync("melt", CompositionBenchmark.MeltArguments(workspace, Path.Combine(singleDir, "melt.mp4"), Clips, 925))).TotalSeconds;
            sampler.Stop();
            Console.WriteLine($"  melt (once, after the runs): {meltWall:0.00} s, peak RSS {CompositionBenchmark.Mb(sampler.ConcurrentPeakKb)} MB; single/melt {singleMedian / meltWall:0.000}, "
                + $"W=4 critical path/melt {(Makespan([.. segmentMedians, audioMedian], 4) + joinMedian) / meltWall:0.000}; load {CompositionBenchmark.Load()}");
        }
        return 0;

        async Task SingleAsync()
        {
            var plan = planner.Plan(spec, inputs, singleOutput);
            using var sampler = new RssSampler();
            var (wall, cpu) = await TimeAsync(workspace, plan, cancellationToken);
            single.Add(wall);
            singleCpu.Add(cpu);
            sampler.Stop();
            singlePeak.Add(sampler.ConcurrentPeakKb);
        }

        async Task SegmentedAsync()
        {
            using var sampler = new RssSampler();
            var started = Stopwatch.GetTimestamp();
            var cpuBefore = ChildCpuSeconds();
            Add(await TimeAsync(workspace, planner.PlanAudio(spec, inputs, audioPath), cancellationToken), audio, audioCpu);
            foreach (var window in windows)
                Add(await TimeAsync(workspace, planner.PlanSegment(spec, inputs, window, segmentPaths[window.Index]), cancellationToken), segments[window.Index], segmentsCpu[window.Index]);
            Add(await TimeAsync(workspace, planner.PlanJoin(spec, inputs, segmentPaths, audioPath, joinedOutput), cancellationToken), join, joinCpu);
            segmented.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            segmentedCpu.Add(ChildCpuSeconds() - cpuBefore);
            sampler.Stop();
            segmentedPeak.Add(sampler.ConcurrentPeakKb);
        }
    }

    /// <summary>Longest-first list scheduling: each task goes to the worker that frees up first; the last to finish ends it.</summary>
    internal static double Makespan(IEnumerable<double> tasks, int workers)
    {
        var loads = new double[workers];
        foreach (var task in tasks.OrderDescending())
        {
            var least = Array.IndexOf(loads, loads.Min());
            loads[least] += task;
        }
        return loads.Max();
    }

    private static void Add((double Wall, double Cpu) measured, List<double> walls, List<double> cpus)
    {
        walls.Add(measured.Wall);
        cpus.Add(measured.Cpu);
    }

    /// <summary>Wall time of the render, and the CPU time of the processes it ran and waited for.</summary>
    private static async Task<(double Wall, double Cpu)> TimeAsync(BenchWorkspace workspace, RenderPlan plan, CancellationToken cancellationToken)
    {
        var cpu = ChildCpuSeconds();
        var started = Stopwatch.GetTimestamp();
        await workspace.Executor.RenderAsync(plan, null, cancellationToken);
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, ChildCpuSeconds() - cpu);
    }

    /// <summary>
    /// cutime + cstime of this process (/proc/self/stat fields 16 and 17): the user and system time of every child
    /// it has waited for, which is every process RenderExecutor starts. In USER_HZ ticks, 100 a second on Linux.
    /// </summary>
    private static double ChildCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Where each clip starts on the output clock (it overlaps the previous one by the fade).</summary>
    private static List<long> ClipStartFrames(CompositionSpec spec)
    {
        var starts = new List<long>();
        long at = 0;
        foreach (var clip in spec.Clips)
        {
            starts.Add(at);
            at += (long)Math.Round((clip.Trim!.End!.Value - clip.Trim.Start) * 30) - (long)Math.Round((clip.Transition?.Duration ?? 0) * 30);
        }
        return starts;
    }

    /// <summary>
    /// A window that starts inside a video clip decodes (and filters) that clip from its first frame and drops what
    /// lies before the window (a video clip is never seeked into, see ClipFilters.SeekFrames); the frames so wasted.
    /// </summary>
    private static string Preroll(TimelineWindow window, List<long> clipStarts)
    {
        var within = clipStarts.Where(s => s <= window.StartFrame).DefaultIfEmpty(0).Max();
        var wasted = window.StartFrame - within;
        return wasted > 0 ? $" (decodes {wasted} frames of its first clip before it)" : "";
    }

    /// <summary>Once: the joined output has the single pass's frame count and duration (the seam tests check the pixels).</summary>
    private static async Task CheckAsync(BenchWorkspace workspace, string single, string joined, CancellationToken cancellationToken)
    {
        var facts = new List<string>();
        foreach (var path in new[] { single, joined })
        {
            var start = new ProcessStartInfo(workspace.Locator.GetFfprobePath()) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets:format=duration,size", "-of", "compact=p=0:nk=1", path])
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
            facts.Add($"{Path.GetFileName(path)}: {output.ReplaceLineEndings(" ").Trim()}");
        }
        Console.WriteLine("  check (video packets | duration | bytes): " + string.Join("; ", facts));
    }
}
