using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Validates a JWT with the JwtBearer handler's own options (so an authority's discovery document and key
/// rotation are handled by its configuration manager), then maps its claims to a tenant and a role. Called by
/// <see cref="ApiRequestGuard"/>, so the Server and the Functions app accept exactly the same tokens.
/// </summary>
public sealed class JwtValidator(IOptionsMonitor<JwtBearerOptions> bearer, IOptionsMonitor<JwtOptions> jwt)
{
    public bool Enabled => jwt.CurrentValue.Enabled;

    /// <summary>Three base64url parts: a JWT, not an API key (keys have no dots).</summary>
    public static bool LooksLikeJwt(string credential) => credential.Count(c => c == '.') == 2;

    /// <returns>The caller, or null for a token that is invalid, expired, for another audience or without a tenant.</returns>
    public async Task<ApiKeyIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!Enabled) return null;
        var settings = jwt.CurrentValue;
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }
        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (!result.IsValid) continue;
            var tenant = result.ClaimsIdentity.FindFirst(settings.TenantClaim)?.Value;
            if (!Tenants.IsValidName(tenant)) return null;
            var roleClaim = result.ClaimsIdentity.FindFirst(settings.RoleClaim)?.Value;
            var role = Role.Viewer;
            if (roleClaim is not null && !Tenants.TryParseRole(roleClaim, out role)) return null;
            var subject = result.ClaimsIdentity.FindFirst("sub")?.Value ?? "jwt";
            return new ApiKeyIdentity("jwt:" + subject, false, tenant!, role);
        }
        return null;
    }

    /// <summary>Applies Auth:Jwt to the JwtBearer scheme's options.</summary>
    internal static void Configure(JwtBearerOptions options, JwtOptions settings)
    {
        options.MapInboundClaims = false; // keep "sub", "tenant" and "role" as the token names them
        if (!string.IsNullOrEmpty(settings.Authority)) options.Authority = settings.Authority;
        options.Audience = settings.Audience;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = settings.Issuer,
            ValidateAudience = true,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            IssuerSigningKeys = [.. settings.SigningKeys.Select(SigningKey)],
            NameClaimType = "sub",
            RoleClaimType = settings.RoleClaim,
        };
    }

    internal static SecurityKey SigningKey(string value)
    {
        if (!value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal)) return new SymmetricSecurityKey(Convert.FromBase64String(value));
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(value);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(value);
            return new ECDsaSecurityKey(ec);
        }
    }

    internal static bool IsValidKey(string value)
    {
        try
        {
            return SigningKey(value) is not SymmetricSecurityKey symmetric || symmetric.KeySize >= 256;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
