using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Webhooks;

/// <summary>A request the receiver got: the raw body and the webhook headers.</summary>
public sealed record ReceivedWebhook(string Body, string? Id, string? Timestamp, string? Signature, string? ContentType);

/// <summary>A real HTTP endpoint on 127.0.0.1 (random port) that records webhook POSTs and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();

    private WebhookReceiver(Func<int, int> statusForRequest)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        var count = 0;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            received.Enqueue(new ReceivedWebhook(body, request.Headers["Webhook-Id"], request.Headers["Webhook-Timestamp"],
                request.Headers["Webhook-Signature"], request.ContentType));
            return Results.StatusCode(statusForRequest(Interlocked.Increment(ref count)));
        });
    }

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public string Url => app.Urls.First() + "/hook";

    /// <param name="statusForRequest">The status to answer for the n-th request (1-based); 200 by default.</param>
    public static async Task<WebhookReceiver> StartAsync(Func<int, int>? statusForRequest = null)
    {
        var receiver = new WebhookReceiver(statusForRequest ?? (_ => 200));
        await receiver.app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
