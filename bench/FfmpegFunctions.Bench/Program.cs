using FfmpegFunctions.Bench;

// Modes: "executor" (RenderExecutor overhead against a bare Process), "composition" (a realistic 60 s render, planned from a spec,
// against the previous planner and melt), "memory" (ffmpeg peak RSS against clip count and GIF length), "preview" (draft
// against final) and "segments" (a 3-minute render in one pass against in segments, and what a fan-out would give), "storage" (64 MiB up and down through each object store).
var mode = args.FirstOrDefault() ?? "executor";
var runs = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : mode switch { "composition" => 1, "segments" => 3, _ => 5 };
using var workspace = new BenchWorkspace();
// Ctrl+C stops the render in flight and still removes the scratch directory.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return mode switch
{
    "executor" => await ExecutorBenchmark.RunAsync(workspace, runs),
    "composition" => await CompositionBenchmark.RunAsync(workspace, runs, args.Skip(2).ToList()),
    "memory" => await MemoryBenchmark.RunAsync(workspace, args.Skip(1).ToList()),
    "preview" => await PreviewBenchmark.RunAsync(workspace, runs),
    "segments" => await SegmentBenchmark.RunAsync(workspace, runs, args.Skip(2).ToList(), cancel.Token),
    "storage" => await StorageBenchmark.RunAsync(workspace, runs, cancel.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/FfmpegFunctions.Bench -- executor [runs] | composition [runs] [baseline=old-plan.json] | preview [runs] | memory [clips=2,4,8,16,20] [gif=15,30,60] [v2=8,20] | segments [runs=3] [segment=60] [melt] | storage [runs=5]");
    return 2;
}
