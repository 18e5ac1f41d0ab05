using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Security;

public static class SecurityExtensions
{
    /// <summary>API keys (hashed in PostgreSQL, the internal key hashed in configuration).</summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration("Auth")
            .Validate(o => string.IsNullOrEmpty(o.InternalKeyHash) || ApiKeyHash.IsWellFormed(o.InternalKeyHash),
                "The setting 'Auth:InternalKeyHash' must be the base64url SHA-256 of the key (43 characters); see `dotnet FfmpegFunctions.Server.dll hash-key <key>`.")
            .Validate(o => string.IsNullOrEmpty(o.BootstrapKey) || !production,
                "The setting 'Auth:BootstrapKey' is for development only and is refused in Production; create keys with POST /admin/api-keys.")
            .Validate(o => o.BootstrapKey is null || o.BootstrapKey.Length is 0 or >= 8,
                "The setting 'Auth:BootstrapKey' must be at least 8 characters.")
            .Validate(o => Tenants.IsValidName(o.BootstrapTenant),
                "The setting 'Auth:BootstrapTenant' must be 1-40 of [a-z0-9-] (not a GUID, not 'samples').")
            .Validate(o => o.CacheDuration >= TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromMinutes(1),
                "The setting 'Auth:CacheDuration' must be between 00:00:00 and 00:01:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<JwtOptions>()
            .BindConfiguration("Auth:Jwt")
            .Validate(o => !o.Enabled || !string.IsNullOrEmpty(o.Audience), "The setting 'Auth:Jwt:Audience' is required when JWT is on (Issuer or Authority set).")
            .Validate(o => string.IsNullOrEmpty(o.Authority) || (Uri.TryCreate(o.Authority, UriKind.Absolute, out var a) && (a.Scheme == "https" || !production)),
                "The setting 'Auth:Jwt:Authority' must be an absolute https URL.")
            .Validate(o => !string.IsNullOrEmpty(o.Authority) || string.IsNullOrEmpty(o.Issuer) || o.SigningKeys.Length > 0,
                "The setting 'Auth:Jwt:SigningKeys' needs at least one key when 'Auth:Jwt:Issuer' is set without an Authority.")
            .Validate(o => o.SigningKeys.All(JwtValidator.IsValidKey),
                "Each 'Auth:Jwt:SigningKeys' entry must be a base64 HMAC secret of at least 32 bytes or a PEM public key.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.TenantClaim) && !string.IsNullOrWhiteSpace(o.RoleClaim),
                "The settings 'Auth:Jwt:TenantClaim' and 'Auth:Jwt:RoleClaim' must name claims.")
            .ValidateOnStart();
        // The JwtBearer scheme's options (and, with an authority, its discovery configuration manager) are what
        // JwtValidator uses; no authentication middleware runs: ApiRequestGuard decides for both hosts.
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((o, jwt) => JwtValidator.Configure(o, jwt.Value));
        builder.Services.AddSingleton<JwtValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<ApiRequestGuard>();
        builder.Services.AddExceptionHandler<MissingCallerHandler>();
        return builder;
    }

    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();

    /// <summary>Per-key token bucket shared through Redis (uses the host's IConnectionMultiplexer).</summary>
    public static IHostApplicationBuilder AddApiRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimit").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RedisRateLimiter>();
        return builder;
    }

    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();

    /// <summary>Browsers on the origins in Cors:AllowedOrigins may call the API; none by default.</summary>
    public static IHostApplicationBuilder AddApiCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                var origins = config.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
                o.AddDefaultPolicy(p => p.WithOrigins(origins).AllowAnyMethod().AllowAnyHeader()
                    .WithExposedHeaders("X-Request-ID", "Retry-After", "Location", "Idempotent-Replayed"));
            });
        builder.Services.AddOptions<CorsOriginsCheck>()
            .BindConfiguration("Cors")
            .Validate(o => o.AllowedOrigins.All(IsOrigin), "The setting 'Cors:AllowedOrigins' must list origins like https://app.example.com (scheme, host, optional port; no path).")
            .ValidateOnStart();
        return builder;
    }

    public static IApplicationBuilder UseApiCors(this IApplicationBuilder app) => app.UseCors();

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0;

    internal sealed class CorsOriginsCheck
    {
        public string[] AllowedOrigins { get; set; } = [];
    }
}
