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
    JwtValidator tokens,
    RedisRateLimiter limiter,
    IOptionsMonitor<AuthOptions> auth,
    IOptionsMonitor<RateLimitOptions> rateLimit,
    ILogger<ApiRequestGuard> logger)
{
    public const string HeaderName = "X-API-Key";

    public bool Enabled => auth.CurrentValue.Enabled;

    /// <summary>With authentication off, records the configured caller (Auth:BootstrapTenant, every right) so that
    /// handlers always find one: a request without a caller is refused, never read as the default tenant.</summary>
    public void AdmitUnauthenticated(HttpContext context) =>
        ApiKeyIdentity.Unauthenticated(auth.CurrentValue.BootstrapTenant).AttachTo(context);

    /// <summary>Authenticates, then authorizes by route: the role a path and method need (<see cref="RequiredRole"/>).</summary>
    /// <returns>The caller, or null after answering 401 (no or bad credentials) or 403 (a role too low).</returns>
    /// <param name="acceptBearer">
    /// Also read "Authorization: Bearer" (a header, never the query string) for an API key: what a Prometheus 2.x
    /// scrape can send with credentials_file, since it cannot set custom headers such as X-API-Key.
    /// </param>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(HttpContext context, bool acceptTokenForms, bool acceptBearer = false)
    {
        // A JWT comes as "Authorization: Bearer" on every route (and as access_token for hubs); an API key in X-API-Key.
        var key = ReadKey(context.Request, allowBearer: acceptTokenForms || acceptBearer || tokens.Enabled, allowQuery: acceptTokenForms);
        if (key is null)
        {
            await ProblemResponses.Unauthorized(context, "An API key is required.", $"Send it in the {HeaderName} header{(tokens.Enabled ? ", or a JWT as a bearer token" : "")}.");
            return null;
        }
        var isToken = tokens.Enabled && JwtValidator.LooksLikeJwt(key);
        // Before any database work: a key this instance has not seen valid costs the client IP a token.
        if (!isToken && rateLimit.CurrentValue.Enabled && validator.NeedsLookup(key))
        {
            var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var decision = await limiter.AcquireUnauthenticatedAsync(ip, context.RequestAborted);
            if (!decision.Allowed)
            {
                var wait = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                await ProblemResponses.Problem(context, StatusCodes.Status429TooManyRequests, "Too many attempts from this address.",
                    $"Unrecognised credentials are limited per client address; retry after {wait} s.");
                return null;
            }
        }
        var identity = isToken
            ? await tokens.ValidateAsync(key, context.RequestAborted)
            : await validator.ValidateAsync(key, context.RequestAborted);
        if (identity is null)
        {
            LogRejected(logger, context.Request.Path);
            await ProblemResponses.Unauthorized(context, isToken ? "The token is not valid." : "The API key is not valid.",
                isToken ? "The token is expired, not for this audience, wrongly signed or names no tenant." : "The key is unknown or has been revoked.");
            return null;
        }
        identity.AttachTo(context);
        var required = RequiredRole(context.Request.Method, context.Request.Path);
        if (identity.Role < required)
        {
            await ProblemResponses.Problem(context, StatusCodes.Status403Forbidden, "Your role does not allow this.",
                $"'{identity.Name}' is {Tenants.Name(identity.Role)}; {context.Request.Method} {context.Request.Path} needs {Tenants.Name(required)}.");
            return null;
        }
        return identity;
    }

    /// <summary>
    /// One table for both hosts, by path so a new endpoint cannot be left unguarded: reading (GET, and hub
    /// connections: negotiate and subscribe are POSTs) needs viewer, changing (POST, PUT, PATCH, DELETE) needs editor, key
    /// management under /api/keys needs admin.
    /// </summary>
    public static Role RequiredRole(string method, PathString path)
    {
        if (path.StartsWithSegments("/api/keys")) return Role.Admin;
        // Live updates are reads, though the Functions app's negotiate and subscribe are POSTs.
        if (path.StartsWithSegments("/hubs") || path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true
            || path.Value?.EndsWith("/subscribe", StringComparison.Ordinal) == true) return Role.Viewer;
        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? Role.Viewer : Role.Editor;
    }

    /// <summary>Paths that need a credential: an API key or JWT (/api, /hubs) or the internal key (<see cref="NeedsInternalKey"/>).
    /// Everything else is open; the API description marks its operations from the same rule.</summary>
    public static bool NeedsCredentials(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || NeedsInternalKey(path);

    /// <summary>/metrics and /admin: the internal key only (sent as X-API-Key, or as a bearer token for Prometheus).</summary>
    public static bool NeedsInternalKey(PathString path) => path.StartsWithSegments("/metrics") || path.StartsWithSegments("/admin");

    /// <returns>false after answering 429 with Retry-After.</returns>
    public async Task<bool> ThrottleAsync(HttpContext context, ApiKeyIdentity identity)
    {
        if (!rateLimit.CurrentValue.Enabled || identity.IsInternal) return true;
        var decision = await limiter.AcquireAsync(identity.Name, context.RequestAborted);
        if (decision.Allowed) return true;
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.Problem(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"The key '{identity.Name}' has used its request budget; retry after {seconds} s.");
        return false;
    }

    private static string? ReadKey(HttpRequest request, bool allowBearer, bool allowQuery)
    {
        var header = request.Headers[HeaderName].ToString();
        if (header.Length > 0) return header;
        var authorization = request.Headers.Authorization.ToString();
        if (allowBearer && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        // Browsers cannot set headers on WebSockets: hubs only take the credential from the query.
        var query = allowQuery ? request.Query["access_token"].ToString() : "";
        return query.Length > 0 ? query : null;
    }

    [LoggerMessage(EventId = CoreEvents.InvalidApiKey, Level = LogLevel.Warning, Message = "Rejected an invalid API key on {Path}")]
    private static partial void LogRejected(ILogger logger, string path);
}
