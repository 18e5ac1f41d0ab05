using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace FfmpegFunctions.Bench.Api;

/// <summary>
/// Renders one composition and measures, for every progress message a SignalR client receives, the
/// delay since the worker stamped it (right after parsing ffmpeg's progress block). Client and
/// server share this machine's clock.
/// </summary>
internal static class ProgressDelay
{
    public static async Task<int> RunAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("X-API-Key", Environment.GetEnvironmentVariable("FFMPEGFUNCTIONS_API_KEY") ?? "");
        var media = Path.Combine(Path.GetTempPath(), $"ffmpegfunctions-bench-{Guid.NewGuid():N}.mp4");
        try
        {
            await RunFfmpegAsync(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=20",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", media], cancellationToken);

            using var upload = await http.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "bench.mp4", contentType = "video/mp4" } } }, cancellationToken);
            var target = JsonDocument.Parse(await upload.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("uploads")[0];
            using (var put = new StreamContent(File.OpenRead(media)))
            {
                put.Headers.ContentType = new("video/mp4");
                (await http.PutAsync(target.GetProperty("url").GetString(), put, cancellationToken)).EnsureSuccessStatusCode();
            }

            var delays = new List<double>();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(baseUrl, "/hubs/compositions"), o => o.Headers["X-API-Key"] = Environment.GetEnvironmentVariable("FFMPEGFUNCTIONS_API_KEY") ?? "")
                .Build();
            hub.On<JsonElement>("progress", p =>
            {
                var stamped = p.GetProperty("timestamp").GetDateTimeOffset();
                lock (delays) delays.Add((DateTimeOffset.UtcNow - stamped).TotalMilliseconds);
            });
            hub.On<JsonElement>("completed", _ => done.TrySetResult());
            hub.On<JsonElement>("failed", e => done.TrySetException(new InvalidOperationException(e.ToString())));
            await hub.StartAsync(cancellationToken);

            using var create = await http.PostAsJsonAsync("/api/compositions", new
            {
                title = "progress bench",
                priority = "high",
                output = new { width = 1280, height = 720, fps = 30, preset = "veryfast" },
                clips = new object[] { new { source = target.GetProperty("key").GetString() } },
            }, cancellationToken);
            var id = JsonDocument.Parse(await create.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetGuid();
            await hub.InvokeAsync<JsonElement?>("Subscribe", id, cancellationToken);
            var clock = Stopwatch.StartNew();
            await done.Task.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);

            delays.Sort();
            Console.WriteLine(System.FormattableString.Invariant(
                $"progress -> SignalR client: n={delays.Count} over a {clock.Elapsed.TotalSeconds:0.0} s render; p50={Percentiles.Of(delays, 50):0.0} ms  p95={Percentiles.Of(delays, 95):0.0} ms  max={delays.LastOrDefault():0.0} ms"));
            return 0;
        }
        finally
        {
            File.Delete(media);
        }
    }

    private static async Task RunFfmpegAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException(await stderr);
    }
}
