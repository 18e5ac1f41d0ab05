using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Authentication by path, so a newly mapped endpoint under a guarded prefix cannot be left open by
/// forgetting an attribute:
/// /api and the SignalR hubs need an API key (X-API-Key); /metrics and /admin need the internal key;
/// everything else (/healthz and /readyz for probes and load balancers, /openapi and /docs, which
/// describe the API but expose no data) is open.
/// Hubs also take the key as "Authorization: Bearer" or the access_token query parameter, because
/// browsers cannot set headers on WebSocket and EventSource requests (the SignalR JS client's
/// accessTokenFactory sends it that way); request logs record the path only, never the query.
/// </summary>
internal sealed partial class ApiKeyMiddleware(
    RequestDelegate next, ApiKeyValidator validator, IOptionsMonitor<AuthOptions> options, ILogger<ApiKeyMiddleware> logger)
{
    public const string HeaderName = "X-API-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var zone = ZoneOf(context.Request.Path);
        if (zone == Zone.Open || !options.CurrentValue.Enabled)
        {
            await next(context);
            return;
        }

        var key = ReadKey(context.Request, zone == Zone.Hub);
        if (key is null)
        {
            await ProblemResponses.Unauthorized(context, "An API key is required.", $"Send it in the {HeaderName} header.");
            return;
        }
        var identity = await validator.ValidateAsync(key, context.RequestAborted);
        if (identity is null)
        {
            LogRejected(logger, context.Request.Path);
            await ProblemResponses.Unauthorized(context, "The API key is not valid.", "The key is unknown or has been revoked.");
            return;
        }
        if (zone == Zone.Internal && !identity.IsInternal)
        {
            await ProblemResponses.Problem(context, StatusCodes.Status403Forbidden, "This endpoint needs the internal key.", null);
            return;
        }
        context.Features.Set(identity);
        await next(context);
    }

    private static string? ReadKey(HttpRequest request, bool hub)
    {
        var header = request.Headers[HeaderName].ToString();
        if (header.Length > 0) return header;
        if (!hub) return null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var query = request.Query["access_token"].ToString();
        return query.Length > 0 ? query : null;
    }

    private static Zone ZoneOf(PathString path) =>
        path.StartsWithSegments("/api") ? Zone.Api
        : path.StartsWithSegments("/hubs") ? Zone.Hub
        : path.StartsWithSegments("/metrics") || path.StartsWithSegments("/admin") ? Zone.Internal
        : Zone.Open;

    private enum Zone { Open, Api, Hub, Internal }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Rejected an invalid API key on {Path}")]
    private static partial void LogRejected(ILogger logger, string path);
}
