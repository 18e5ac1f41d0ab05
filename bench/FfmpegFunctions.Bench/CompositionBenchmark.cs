using System.Globalization;

namespace FfmpegFunctions.Bench;

/// <summary>
/// A 60 s 720p30 composition: 4 clips, 3 one-second fades, a logo overlay and a looped, faded music bed,
/// rendered through RenderExecutor. Its arguments are built by hand here, in the shape a planner produces;
/// swap <see cref="Arguments"/> for RenderPlanner's output once that exists.
/// </summary>
internal static class CompositionBenchmark
{
    private const double ClipSeconds = 15.75;
    private const double FadeSeconds = 1;
    private const double TotalSeconds = 4 * ClipSeconds - 3 * FadeSeconds; // 60

    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs)
    {
        Console.WriteLine("preparing inputs (not timed)...");
        var clips = new string[4];
        for (var i = 0; i < clips.Length; i++)
        {
            clips[i] = workspace.PathFor($"clip{i}.mp4");
            await workspace.RunDirectAsync([
                "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration=16",
                "-f", "lavfi", "-i", $"sine=frequency={330 + 110 * i}:sample_rate=48000:duration=16",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clips[i]]);
        }
        var logo = workspace.PathFor("logo.png");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "color=c=white@0.8:size=200x80,format=rgba", "-frames:v", "1", logo]);
        var music = workspace.PathFor("music.m4a");
        await workspace.RunDirectAsync(["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=25", "-c:a", "aac", music]);

        var output = workspace.PathFor("composition/out.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var plan = BenchWorkspace.Plan(Arguments(clips, logo, music, output), TotalSeconds, output);

        var elapsed = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var result = await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
            elapsed.Add(result.Elapsed.TotalSeconds);
            Console.WriteLine($"run {i + 1}: {result.Elapsed.TotalSeconds:0.00} s for {result.Duration:0.00} s of output ({result.SizeBytes / 1024} KiB), realtime x{result.Duration / result.Elapsed.TotalSeconds:0.00}");
        }
        var median = BenchWorkspace.Median(elapsed);
        Console.WriteLine($"composition: 60 s 720p30 veryfast, 4 clips, 3 fades, overlay, music; N={runs}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  median {median:0.00} s, realtime factor x{TotalSeconds / median:0.00}");
        return 0;
    }

    private static string[] Arguments(string[] clips, string logo, string music, string output)
    {
        var graph = new List<string>();
        for (var i = 0; i < clips.Length; i++)
        {
            graph.Add($"[{i}:v]trim=duration={N(ClipSeconds)},setpts=PTS-STARTPTS,scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v{i}]");
            graph.Add($"[{i}:a]atrim=duration={N(ClipSeconds)},asetpts=PTS-STARTPTS,aformat=sample_rates=48000:channel_layouts=stereo[a{i}]");
        }
        string video = "v0", audio = "a0";
        var length = ClipSeconds;
        for (var i = 1; i < clips.Length; i++)
        {
            var offset = length - FadeSeconds;
            graph.Add($"[{video}][v{i}]xfade=transition=fade:duration={N(FadeSeconds)}:offset={N(offset)}[xv{i}]");
            graph.Add($"[{audio}][a{i}]acrossfade=d={N(FadeSeconds)}[xa{i}]");
            (video, audio) = ($"xv{i}", $"xa{i}");
            length = offset + ClipSeconds;
        }
        graph.Add($"[{video}][4:v]overlay=W-w-24:24:format=auto,format=yuv420p[vout]");
        graph.Add($"[5:a]atrim=duration={N(TotalSeconds)},aformat=sample_rates=48000:channel_layouts=stereo,volume=0.3,afade=t=in:d=1,afade=t=out:st={N(TotalSeconds - 2)}:d=2[music]");
        graph.Add($"[{audio}][music]amix=inputs=2:duration=first:normalize=0[aout]");

        var arguments = new List<string>();
        foreach (var clip in clips) arguments.AddRange(["-i", clip]);
        arguments.AddRange(["-i", logo, "-stream_loop", "-1", "-i", music]);
        arguments.AddRange(["-filter_complex", string.Join(';', graph), "-map", "[vout]", "-map", "[aout]"]);
        arguments.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-r", "30"]);
        arguments.AddRange(["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-t", N(TotalSeconds), output]);
        return [.. arguments];
    }

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
}
