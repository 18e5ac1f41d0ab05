using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// The API's admission policy, one implementation for both hosts: an API key (X-API-Key; for hubs
/// also "Authorization: Bearer" or access_token, which browsers use for WebSockets), then the key's
/// shared rate limit. Rejections are written as problem+json; callers stop when a method says no.
/// The Server runs it as ASP.NET Core middleware, the Functions app as worker middleware in front
/// of its HTTP triggers (which are Anonymous: this is their only gate).
/// </summary>
public sealed partial class ApiRequestGuard(
    ApiKeyValidator validator,
    RedisRateLimiter limiter,
    IOptionsMonitor<AuthOptions> auth,
    IOptionsMonitor<RateLimitOptions> rateLimit,
    ILogger<ApiRequestGuard> logger)
{
    public const string HeaderName = "X-API-Key";

    public bool Enabled => auth.CurrentValue.Enabled;

    /// <returns>The caller, or null after answering 401.</returns>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(HttpContext context, bool acceptTokenForms)
    {
        var key = ReadKey(context.Request, acceptTokenForms);
        if (key is null)
        {
            await ProblemResponses.Unauthorized(context, "An API key is required.", $"Send it in the {HeaderName} header.");
            return null;
        }
        var identity = await validator.ValidateAsync(key, context.RequestAborted);
        if (identity is null)
        {
            LogRejected(logger, context.Request.Path);
            await ProblemResponses.Unauthorized(context, "The API key is not valid.", "The key is unknown or has been revoked.");
            return null;
        }
        context.Features.Set(identity);
        return identity;
    }

    /// <returns>false after answering 429 with Retry-After.</returns>
    public async Task<bool> ThrottleAsync(HttpContext context, ApiKeyIdentity identity)
    {
        if (!rateLimit.CurrentValue.Enabled || identity.IsInternal) return true;
        var decision = await limiter.AcquireAsync(identity.Name);
        if (decision.Allowed) return true;
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.Problem(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"The key '{identity.Name}' has used its request budget; retry after {seconds} s.");
        return false;
    }

    private static string? ReadKey(HttpRequest request, bool acceptTokenForms)
    {
        var header = request.Headers[HeaderName].ToString();
        if (header.Length > 0) return header;
        if (!acceptTokenForms) return null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var query = request.Query["access_token"].ToString();
        return query.Length > 0 ? query : null;
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Rejected an invalid API key on {Path}")]
    private static partial void LogRejected(ILogger logger, string path);
}
