using FfmpegFunctions.Bench;

// Modes: "executor" (RenderExecutor overhead against a bare Process), "composition" (a realistic 60 s render, planned from a spec,
// against the previous planner and melt) and "memory" (ffmpeg peak RSS against clip count and GIF length).
var mode = args.FirstOrDefault() ?? "executor";
var runs = args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : mode == "composition" ? 1 : 5;
using var workspace = new BenchWorkspace();
return mode switch
{
    "executor" => await ExecutorBenchmark.RunAsync(workspace, runs),
    "composition" => await CompositionBenchmark.RunAsync(workspace, runs, args.Skip(2).ToList()),
    "memory" => await MemoryBenchmark.RunAsync(workspace, args.Skip(1).ToList()),
    "preview" => await PreviewBenchmark.RunAsync(workspace, runs),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/FfmpegFunctions.Bench -- executor [runs] | composition [runs] [baseline=old-plan.json] | preview [runs] | memory [clips=2,4,8,16,20] [gif=15,30,60] [v2=8,20]");
    return 2;
}
