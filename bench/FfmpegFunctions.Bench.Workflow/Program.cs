extern alias functions;
extern alias server;
using FfmpegFunctions.Core.Security;

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Bench.Workflow;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Storage;
using functions::FfmpegFunctions.Functions.Hosting;
using functions::FfmpegFunctions.Functions.Dispatch;
using functions::FfmpegFunctions.Functions.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

// The workflow's own overhead for a short composition (2 s 320x180 source, 320x180 veryfast output): wall time
// from create to completed (the rows' created_at and completed_at) minus the time ffmpeg ran, on the Durable Task
// engine (the Functions app's orchestration) and on the Server's PostgreSQL engine, interleaved, medians.
// Needs the stack's settings in the environment (source .stack/<name>/env) and ffmpeg on PATH.
// Then the stop latency of both engines (StopLatency).
// First argument "segments": a 3-minute composition's segment fan-out over two Server instances against one (SegmentFanOut).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
await using var stack = BenchStack.FromEnvironment();
if (args.FirstOrDefault() == "segments") return await SegmentFanOut.RunAsync(stack, [.. args.Skip(1)], cancel.Token);

var runs = args.Length > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : 7;
var root = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);

try
{
    var clip = Path.Combine(root, "clip.mp4");
    await BenchStack.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip], cancel.Token);

    // The Functions app's own services, as Program.cs wires them, on a plain host.
    var functionsDb = await stack.CreateDatabaseAsync(cancel.Token);
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
    builder.Configuration.AddInMemoryCollection(BenchStack.Settings(functionsDb, Path.Combine(root, "functions-work")));
    builder.AddFunctionsApp();
    var durableFfmpeg = new FfmpegClock();
    builder.Services.RemoveAll<IRenderMetrics>();
    builder.Services.AddSingleton<IRenderMetrics>(durableFfmpeg);
    using var app = builder.Build();
    await app.StartAsync();
    await using var durable = await DurableEngine.StartAsync(app.Services);

    // The Server with its engine on.
    var serverDb = await stack.CreateDatabaseAsync(cancel.Token);
    var serverFfmpeg = new FfmpegClock();
    await using var server = new BenchServer(BenchStack.Settings(serverDb, Path.Combine(root, "server-work")), serverFfmpeg);
    using var client = server.CreateClient();
    client.DefaultRequestHeaders.Add("X-API-Key", BenchStack.ApiKey);

    var objects = app.Services.GetRequiredService<IObjectStore>();
    var key = StorageKeys.Input(Guid.NewGuid(), "clip.mp4");
    await objects.UploadFileAsync(key, clip, "video/mp4", CancellationToken.None);
    var spec = JsonSerializer.SerializeToUtf8Bytes(new
    {
        title = "bench",
        output = new { width = 320, height = 180, fps = 25, preset = "veryfast" },
        clips = new object[] { new { source = key } },
    });

    var store = app.Services.GetRequiredService<CompositionStore>();
    var dispatcher = app.Services.GetRequiredService<RenderDispatcher>();
    async Task<(double Wall, double Ffmpeg)> DurableOnceAsync()
    {
        // What CreateComposition does: store the composition and its queued job, kick the dispatcher.
        var id = Guid.CreateVersion7();
        await store.CreateAsync(id, SpecParser.Parse(spec).Spec!, null, [], JobOrigin.None, Tenants.Default, CancellationToken.None);
        await dispatcher.DispatchAsync(durable.Client, CancellationToken.None);
        return (await BenchStack.WaitCompletedAsync(functionsDb, id, TimeSpan.FromMinutes(2), cancel.Token), durableFfmpeg.Take().TotalSeconds);
    }

    async Task<(double Wall, double Ffmpeg)> ServerOnceAsync()
    {
        using var response = await client.PostAsync("/api/compositions", new ByteArrayContent(spec) { Headers = { ContentType = new("application/json") } });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (await BenchStack.WaitCompletedAsync(serverDb, id, TimeSpan.FromMinutes(2), cancel.Token), serverFfmpeg.Take().TotalSeconds);
    }

    await DurableOnceAsync(); // warm-up: JIT, connections, gRPC channel
    await ServerOnceAsync();
    var durableRuns = new List<(double Wall, double Ffmpeg)>();
    var serverRuns = new List<(double Wall, double Ffmpeg)>();
    for (var i = 0; i < runs; i++)
    {
        durableRuns.Add(await DurableOnceAsync());
        serverRuns.Add(await ServerOnceAsync());
    }

    Console.WriteLine($"workflow overhead, {runs} interleaved runs each (2 s 320x180 source, veryfast 320x180 output), medians:");
    Console.WriteLine("engine                 create->completed   ffmpeg    overhead (wall - ffmpeg)");
    Print("Durable (Functions)", durableRuns);
    Print("PostgreSQL (Server)", serverRuns);

    // Stop latency: a 12 s 720p "slow" render, cancelled once encoding, until no ffmpeg is left.
    var longSpec = JsonSerializer.SerializeToUtf8Bytes(new
    {
        title = "bench-stop",
        output = new { width = 1280, height = 720, fps = 25, preset = "slow" },
        clips = Enumerable.Repeat<object>(new { source = key }, 6).ToArray(),
    });
    var scheduler = new DispatchingScheduler(dispatcher, app.Services.GetRequiredService<FunctionsJobQueue>(), durable.Client);
    async Task<Guid> DurableStartAsync()
    {
        var id = Guid.CreateVersion7();
        await store.CreateAsync(id, SpecParser.Parse(longSpec).Spec!, null, [], JobOrigin.None, Tenants.Default, CancellationToken.None);
        await dispatcher.DispatchAsync(durable.Client, CancellationToken.None);
        return id;
    }
    async Task DurableCancelAsync(Guid id)
    {
        // What CancelComposition does: mark it cancelled, then stop its orchestration.
        await store.CancelAsync(id, Tenants.Default, CancellationToken.None);
        await scheduler.CancelAsync(id, "cancelled by the bench", CancellationToken.None);
    }
    async Task<Guid> ServerStartAsync()
    {
        using var response = await client.PostAsync("/api/compositions", new ByteArrayContent(longSpec) { Headers = { ContentType = new("application/json") } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
    async Task ServerCancelAsync(Guid id) => (await client.PostAsync($"/api/compositions/{id}/cancel", null)).EnsureSuccessStatusCode();

    var durableStops = new List<double>();
    var serverStops = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        durableStops.Add(await StopLatency.MeasureAsync(Path.Combine(root, "functions-work"), DurableStartAsync, DurableCancelAsync, cancel.Token));
        serverStops.Add(await StopLatency.MeasureAsync(Path.Combine(root, "server-work"), ServerStartAsync, ServerCancelAsync, cancel.Token));
    }
    Console.WriteLine();
    Console.WriteLine($"stop latency (cancel -> no ffmpeg left; target 3 s), {runs} interleaved runs each:");
    PrintStops("Durable (Functions)", durableStops);
    PrintStops("PostgreSQL (Server)", serverStops);
    return 0;
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

static void Print(string engine, List<(double Wall, double Ffmpeg)> samples)
{
    static string S(double v) => v.ToString("0.000", CultureInfo.InvariantCulture) + " s";
    Console.WriteLine($"{engine,-22} {S(BenchStack.Median(samples.Select(s => s.Wall))),-19} {S(BenchStack.Median(samples.Select(s => s.Ffmpeg))),-9} {S(BenchStack.Median(samples.Select(s => s.Wall - s.Ffmpeg)))}"
        + $"   (overhead min {S(samples.Min(s => s.Wall - s.Ffmpeg))}, max {S(samples.Max(s => s.Wall - s.Ffmpeg))})");
}

static void PrintStops(string engine, List<double> samples)
{
    static string S(double v) => v.ToString("0.000", CultureInfo.InvariantCulture) + " s";
    Console.WriteLine($"{engine,-22} median {S(BenchStack.Median(samples))}, min {S(samples.Min())}, max {S(samples.Max())}");
}

/// <summary>The Server in-process (TestServer) with its PostgreSQL engine on, ffmpeg time recorded.</summary>
internal sealed class BenchServer(IReadOnlyDictionary<string, string?> settings, FfmpegClock ffmpeg) : WebApplicationFactory<server::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(s =>
        {
            s.RemoveAll<IRenderMetrics>();
            s.AddSingleton<IRenderMetrics>(ffmpeg);
        });
    }
}
