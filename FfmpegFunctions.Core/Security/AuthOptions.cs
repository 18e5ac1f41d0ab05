namespace FfmpegFunctions.Core.Security;

/// <summary>Settings under "Auth".</summary>
public sealed class AuthOptions
{
    /// <summary>false turns every check off (a host behind its own gateway); true by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>base64url SHA-256 of the internal key that guards /metrics and /admin (see <see cref="ApiKeyHash"/>). Unset: those stay closed.</summary>
    public string? InternalKeyHash { get; set; }

    /// <summary>A plaintext API key accepted as key "bootstrap", for local development and tests only: refused in Production.</summary>
    public string? BootstrapKey { get; set; }

    /// <summary>The tenant the bootstrap key acts for (as an admin).</summary>
    public string BootstrapTenant { get; set; } = Tenants.Default;

    /// <summary>How long a valid key is remembered before the database is asked again; a revoked key works at most this long on other instances.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
