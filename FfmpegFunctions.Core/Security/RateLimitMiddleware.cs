using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>Spends a token of the caller's key on each /api request; the internal key and the hub are not limited
/// (a SignalR long-polling client would spend tokens just by staying connected).</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, ApiRequestGuard guard)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var identity = context.Features.Get<ApiKeyIdentity>();
        if (identity is null || !context.Request.Path.StartsWithSegments("/api") || await guard.ThrottleAsync(context, identity))
            await next(context);
    }
}
