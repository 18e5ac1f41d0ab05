using System.Diagnostics;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Bench;

/// <summary>
/// output.preview against the final render of the composition benchmark's 60 s 720p30 spec, both through
/// planner + RenderExecutor, alternating so machine noise hits both alike. Target: preview at least 5x faster.
/// </summary>
internal static class PreviewBenchmark
{
    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs)
    {
        var inputs = await CompositionBenchmark.PrepareAsync(workspace);
        var final = CompositionBenchmark.Spec();
        var preview = final with { Output = final.Output with { Preview = true } };
        var planner = new RenderPlanner();
        var outputDir = workspace.PathFor("out");
        Directory.CreateDirectory(outputDir);

        List<double> finals = [], previews = [];
        for (var i = 0; i < runs; i++)
        {
            finals.Add(await TimeAsync(workspace, planner.Plan(final, inputs, Path.Combine(outputDir, "final.mp4"))));
            previews.Add(await TimeAsync(workspace, planner.Plan(preview, inputs, Path.Combine(outputDir, "preview.mp4"))));
            Console.WriteLine($"run {i + 1}: final {finals[^1]:0.00} s, preview {previews[^1]:0.00} s");
        }
        var finalMedian = BenchWorkspace.Median(finals);
        var previewMedian = BenchWorkspace.Median(previews);
        Console.WriteLine($"preview: 60 s 720p30 composition; final veryfast 1280x720 against preview ultrafast 640x360; N={runs}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  final median {finalMedian:0.00} s, preview median {previewMedian:0.00} s, speedup x{finalMedian / previewMedian:0.0} (target >= 5)");
        return 0;
    }

    private static async Task<double> TimeAsync(BenchWorkspace workspace, RenderPlan plan)
    {
        var started = Stopwatch.GetTimestamp();
        await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
