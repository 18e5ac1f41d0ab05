namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Settings under "Auth:Jwt": JWT bearer tokens for users, beside API keys. Off until an issuer (with signing
/// keys) or an OpenID authority is set. Claims map to the tenant and the role of <see cref="ApiKeyIdentity"/>.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The expected "iss". With <see cref="Authority"/> unset, <see cref="SigningKeys"/> verify the tokens.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected "aud" (required when JWT is on).</summary>
    public string? Audience { get; set; }

    /// <summary>An OpenID Connect authority (https): issuer and signing keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>Verification keys: base64 HMAC secrets (at least 32 bytes) or PEM public keys (RSA or EC).</summary>
    public string[] SigningKeys { get; set; } = [];

    /// <summary>The claim naming the tenant; a token without it is refused.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim naming the role (viewer, editor, admin); absent means viewer.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Clock skew allowed on exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(Issuer);
}
