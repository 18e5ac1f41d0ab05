namespace FfmpegFunctions.Bench;

/// <summary>
/// The same 10 s 720p30 ultrafast encode run bare and through RenderExecutor, interleaved so drift
/// hits both. The executor's time includes what it adds: progress parsing, the thumbnail and the probe.
/// </summary>
internal static class ExecutorBenchmark
{
    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs)
    {
        var output = workspace.PathFor("executor/out.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string[] arguments = ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", output];
        var plan = BenchWorkspace.Plan(arguments, 10, output);

        // One warm-up of each: page cache, JIT, the first libx264 load.
        await workspace.RunDirectAsync(arguments);
        await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);

        var direct = new List<double>();
        var sameWork = new List<double>();
        var executor = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            direct.Add((await workspace.RunDirectAsync(arguments)).TotalSeconds);
            sameWork.Add((await workspace.RunDirectWithThumbnailAndProbeAsync(arguments, output)).TotalSeconds);
            executor.Add((await workspace.Executor.RenderAsync(plan, null, CancellationToken.None)).Elapsed.TotalSeconds);
            Console.WriteLine($"run {i + 1}: direct {direct[^1]:0.000} s, direct+thumbnail+probe {sameWork[^1]:0.000} s, executor {executor[^1]:0.000} s");
        }

        var directMedian = BenchWorkspace.Median(direct);
        var sameWorkMedian = BenchWorkspace.Median(sameWork);
        var executorMedian = BenchWorkspace.Median(executor);
        Console.WriteLine($"executor: 10 s 720p30 ultrafast, N={runs}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  direct encode                  median {directMedian:0.000} s");
        Console.WriteLine($"  direct encode+thumbnail+probe  median {sameWorkMedian:0.000} s");
        Console.WriteLine($"  executor                       median {executorMedian:0.000} s");
        Console.WriteLine($"  ratio executor/direct encode              {executorMedian / directMedian:0.000} (target <= 1.03)");
        Console.WriteLine($"  ratio executor/direct same work           {executorMedian / sameWorkMedian:0.000} (the executor's own plumbing)");
        Console.WriteLine($"  fixed cost of thumbnail+probe             {(sameWorkMedian - directMedian) * 1000:0} ms per render");
        return 0;
    }
}
