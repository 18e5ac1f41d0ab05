using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Functions.Realtime;

/// <summary>
/// Pushes composition events to SignalR Service groups through its REST API
/// (POST {endpoint}/api/v1/hubs/{hub}/groups/{group}, bearer JWT signed with the access key, audience the
/// request URL). Chosen over [SignalROutput] because progress is produced deep inside the Render activity
/// (Core's RenderSteps publishes through ICompositionEventSink), where no output binding exists; one
/// target beside Redis gives the Server's exact messages from the same code path.
/// </summary>
public sealed partial class SignalRServiceEventTarget(IHttpClientFactory httpClients, SignalRServiceEndpoint endpoint, TimeProvider clock, ILogger<SignalRServiceEventTarget> logger)
    : CompositionGroupTarget
{
    public const string HttpClientName = "SignalRService";

    protected override async Task SendAsync(Guid compositionId, string target, object message, CancellationToken cancellationToken)
    {
        var url = $"{endpoint.Url}/api/v1/hubs/{RealtimeGroups.HubName}/groups/{Uri.EscapeDataString(GroupName(compositionId))}";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(new { target, arguments = new[] { message } }, options: JsonSerializerOptions.Web),
            };
            request.Headers.Authorization = new("Bearer", endpoint.CreateToken(url, clock.GetUtcNow()));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) LogRejected(logger, target, compositionId, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A live view only: the database has the truth, so SignalR trouble must not fail a render.
            LogSendFailed(logger, ex, target, compositionId);
        }
    }

    [LoggerMessage(EventId = FunctionsEvents.SignalRServiceRejected, Level = LogLevel.Warning, Message = "SignalR Service rejected {Target} for composition {CompositionId} with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string target, Guid compositionId, int statusCode);

    [LoggerMessage(EventId = FunctionsEvents.SignalRServiceSendFailed, Level = LogLevel.Warning, Message = "Could not send {Target} for composition {CompositionId} to SignalR Service")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string target, Guid compositionId);
}

/// <summary>Endpoint and access key from "Endpoint=https://x.service.signalr.net;AccessKey=...;Version=1.0;[Port=...]".</summary>
public sealed class SignalRServiceEndpoint(string url, string accessKey)
{
    public string Url { get; } = url;

    public static SignalRServiceEndpoint Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !parts.TryGetValue("AccessKey", out var key))
            throw new InvalidOperationException("AzureSignalRConnectionString needs Endpoint and AccessKey (managed identity is not supported by this sender).");
        var uri = new UriBuilder(endpoint.TrimEnd('/'));
        if (parts.TryGetValue("Port", out var port)) uri.Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
        return new SignalRServiceEndpoint(uri.Uri.GetLeftPart(UriPartial.Authority), key);
    }

    /// <summary>An HS256 JWT for one REST call: aud = the request URL, valid five minutes.</summary>
    public string CreateToken(string audience, DateTimeOffset now)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { aud = audience, exp = now.AddMinutes(5).ToUnixTimeSeconds() }));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class SignalRServiceExtensions
{
    /// <summary>Adds the SignalR Service target beside Redis when AzureSignalRConnectionString is set.</summary>
    public static IHostApplicationBuilder AddSignalRServiceEvents(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration["AzureSignalRConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString)) return builder;
        builder.Services.AddSingleton(SignalRServiceEndpoint.Parse(connectionString));
        builder.Services.AddHttpClient(SignalRServiceEventTarget.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<ICompositionEventTarget, SignalRServiceEventTarget>();
        return builder;
    }
}
