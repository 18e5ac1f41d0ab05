using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Security;

/// <summary>Spends a token of the caller's key on each /api request; the internal key and the hub are not limited
/// (a SignalR long-polling client would spend tokens just by staying connected).</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, RedisRateLimiter limiter, IOptionsMonitor<RateLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var identity = context.Features.Get<ApiKeyIdentity>();
        if (!options.CurrentValue.Enabled || identity is null || identity.IsInternal || !context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        var decision = await limiter.AcquireAsync(identity.Name);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.Problem(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"The key '{identity.Name}' has used its request budget; retry after {seconds} s.");
    }
}
