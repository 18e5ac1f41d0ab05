using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FfmpegFunctions.Bench.Api;

/// <summary>N concurrent clients, each looping one request kind for a fixed time: POST /api/compositions, then GET /api/compositions/{id}.</summary>
internal static class ApiLoad
{
    public static async Task<int> RunAsync(Uri baseUrl, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("X-API-Key", Environment.GetEnvironmentVariable("FFMPEGFUNCTIONS_API_KEY") ?? "");
        var spec = JsonContent.Create(new
        {
            title = "bench",
            output = new { width = 1280, height = 720, fps = 30 },
            clips = new object[]
            {
                new { source = "inputs/bench/a.mp4", trim = new { start = 0, end = 5 }, transition = new { type = "fade", duration = 0.5 } },
                new { source = "inputs/bench/b.mp4", trim = new { start = 0, end = 5 } },
            },
            overlays = new object[] { new { type = "text", text = "Bench", position = "bottom-right" } },
        });
        var body = await spec.ReadAsByteArrayAsync(cancellationToken);

        // Warm up JIT, pools and the database's plans.
        var warm = new List<Guid>();
        for (var i = 0; i < 50; i++) warm.Add(await CreateAsync(http, body, cancellationToken));
        for (var i = 0; i < 200; i++) (await http.GetAsync($"/api/compositions/{warm[i % warm.Count]}", cancellationToken)).Dispose();

        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>(warm);
        var (createTimes, createErrors, createElapsed) = await LoopAsync(clients, duration, async () =>
        {
            ids.Add(await CreateAsync(http, body, cancellationToken));
            return true;
        }, cancellationToken);

        var known = ids.ToArray();
        var (getTimes, getErrors, getElapsed) = await LoopAsync(clients, duration, async () =>
        {
            using var response = await http.GetAsync($"/api/compositions/{known[Random.Shared.Next(known.Length)]}", cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }, cancellationToken);

        Console.WriteLine($"{clients} concurrent clients on {baseUrl}, {duration.TotalSeconds:0} s per phase, {Environment.ProcessorCount} cores (client and server share them)");
        Console.WriteLine(Percentiles.Line("create", createTimes, createElapsed, createErrors));
        Console.WriteLine(Percentiles.Line("get", getTimes, getElapsed, getErrors));
        return createErrors + getErrors == 0 ? 0 : 1;
    }

    private static async Task<Guid> CreateAsync(HttpClient http, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync("/api/compositions", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted) throw new HttpRequestException($"create answered {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<(List<double> Millis, int Errors, TimeSpan Elapsed)> LoopAsync(
        int clients, TimeSpan duration, Func<Task<bool>> request, CancellationToken cancellationToken)
    {
        var all = new List<double>[clients];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = all[c] = new List<double>(4096);
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (!await request()) Interlocked.Increment(ref errors);
                    else mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return ([.. all.SelectMany(x => x)], errors, clock.Elapsed);
    }
}
