using System.Diagnostics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Bench;

/// <summary>
/// output.preview against the final render of the composition benchmark's 60 s 720p30 spec, both through
/// planner + RenderExecutor, alternating so machine noise hits both alike; the preview from its inputs' proxies, as the
/// workflow renders it. Target: preview at least 5x faster.
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

        // As the workflow does for a preview (PreviewProxies): each video input's proxy, made once, then every
        // preview decodes the proxies. Timed apart: only the first preview of new inputs pays for them.
        var probe = workspace.Probe;
        var proxied = new Dictionary<string, LocalInput>(inputs, StringComparer.Ordinal);
        var making = Stopwatch.GetTimestamp();
        foreach (var (key, input) in inputs.Where(i => PreviewProxy.WorthIt(i.Value.Media)))
        {
            var path = workspace.PathFor(Path.GetFileName(PreviewProxy.KeyFor(key)));
            await workspace.Executor.RenderAsync(PreviewProxy.Plan(input.Path, input.Media, path), null, CancellationToken.None);
            var media = await probe.ProbeAsync(path, CancellationToken.None);
            proxied[key] = new LocalInput(path, input.Media with { Width = media.Width, Height = media.Height, FrameRate = media.FrameRate, Rotation = 0 });
        }
        var proxiesSeconds = Stopwatch.GetElapsedTime(making).TotalSeconds;
        Console.WriteLine($"proxies of {inputs.Count(i => PreviewProxy.WorthIt(i.Value.Media))} inputs made in {proxiesSeconds:0.00} s (once per input)");

        List<double> finals = [], previews = [];
        for (var i = 0; i < runs; i++)
        {
            finals.Add(await TimeAsync(workspace, planner.Plan(final, inputs, Path.Combine(outputDir, "final.mp4"))));
            previews.Add(await TimeAsync(workspace, planner.Plan(preview, proxied, Path.Combine(outputDir, "preview.mp4"))));
            Console.WriteLine($"run {i + 1}: final {finals[^1]:0.00} s, preview {previews[^1]:0.00} s");
        }
        var finalMedian = BenchWorkspace.Median(finals);
        var previewMedian = BenchWorkspace.Median(previews);
        Console.WriteLine($"preview: 60 s 720p30 composition; final veryfast 1280x720 against preview ultrafast 640x360; N={runs}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  final median {finalMedian:0.00} s, preview (from proxies) median {previewMedian:0.00} s, speedup x{finalMedian / previewMedian:0.0} (target >= 5)");
        Console.WriteLine($"  a first preview of new inputs: {previewMedian + proxiesSeconds:0.00} s with making the proxies, x{finalMedian / (previewMedian + proxiesSeconds):0.0}");
        return 0;
    }

    private static async Task<double> TimeAsync(BenchWorkspace workspace, RenderPlan plan)
    {
        var started = Stopwatch.GetTimestamp();
        await workspace.Executor.RenderAsync(plan, null, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
