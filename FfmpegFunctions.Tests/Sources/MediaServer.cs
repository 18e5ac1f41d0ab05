using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Sources;

/// <summary>A real HTTP server on 127.0.0.1 (random port) standing in for a CDN: files, redirects, errors and an
/// endless body without Content-Length. It records every request path.</summary>
public sealed class MediaServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> requests = new();
    private readonly TaskCompletionSource<long> endlessCut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MediaServer(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string> redirects)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            requests.Enqueue(context.Request.Path.Value ?? "");
            await next(context);
        });
        foreach (var (path, file) in files)
            app.MapGet(path, () => Results.File(file, "video/mp4")); // sends Content-Length
        // "{port}" in a location is this server's port (known only once it listens).
        foreach (var (path, location) in redirects)
            app.MapGet(path, (HttpContext context) =>
                Results.Redirect(location.Replace("{port}", context.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        app.MapGet("/endless", async (HttpContext context) =>
        {
            // Chunked, no Content-Length: only counting the bytes as they arrive can stop it.
            var chunk = new byte[64 * 1024];
            long sent = 0;
            try
            {
                for (var i = 0; i < 64 * 1024; i++) // 4 GiB, far beyond any limit a test sets
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    sent += chunk.Length;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                endlessCut.TrySetResult(sent);
                throw;
            }
        });
    }

    public IReadOnlyList<string> Requests => [.. requests];

    /// <summary>Completes with the bytes sent when the client hung up during /endless.</summary>
    public Task<long> EndlessCut => endlessCut.Task;

    public string BaseUrl => app.Urls.First();

    public int Port => new Uri(BaseUrl).Port;

    public static async Task<MediaServer> StartAsync(IReadOnlyDictionary<string, string>? files = null, IReadOnlyDictionary<string, string>? redirects = null)
    {
        var server = new MediaServer(files ?? new Dictionary<string, string>(), redirects ?? new Dictionary<string, string>());
        await server.app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
