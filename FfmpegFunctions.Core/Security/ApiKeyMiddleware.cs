using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Authentication by path, so a newly mapped endpoint under a guarded prefix cannot be left open by
/// forgetting an attribute:
/// /api and the SignalR hubs need an API key; /metrics and /admin need the internal key;
/// everything else (/healthz and /readyz for probes and load balancers, /openapi and /docs, which
/// describe the API but expose no data) is open. Request logs record the path only, never the query
/// (where a hub client's access_token travels).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiRequestGuard guard)
{
    public const string HeaderName = ApiRequestGuard.HeaderName;

    public async Task InvokeAsync(HttpContext context)
    {
        var zone = ZoneOf(context.Request.Path);
        if (zone == Zone.Open)
        {
            await next(context);
            return;
        }
        if (!guard.Enabled)
        {
            guard.AdmitUnauthenticated(context);
            await next(context);
            return;
        }
        // Bearer on /metrics and /admin too: Prometheus 2.x scrapes with "authorization: credentials_file" only.
        var identity = await guard.AuthenticateAsync(context, acceptTokenForms: zone == Zone.Hub, acceptBearer: zone == Zone.Internal);
        if (identity is null) return;
        if (zone == Zone.Internal && !identity.IsInternal)
        {
            await ProblemResponses.Problem(context, StatusCodes.Status403Forbidden, "This endpoint needs the internal key.", null);
            return;
        }
        await next(context);
    }

    private static Zone ZoneOf(PathString path) =>
        path.StartsWithSegments("/api") ? Zone.Api
        : path.StartsWithSegments("/hubs") ? Zone.Hub
        : ApiRequestGuard.NeedsInternalKey(path) ? Zone.Internal
        : Zone.Open;

    private enum Zone { Open, Api, Hub, Internal }
}
