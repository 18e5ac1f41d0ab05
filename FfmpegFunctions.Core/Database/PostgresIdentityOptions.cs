namespace FfmpegFunctions.Core.Database;

/// <summary>
/// Bound from the Postgres section. With UseManagedIdentity the app signs in to Azure Database for PostgreSQL with a
/// Microsoft Entra access token as the password, so no database password is stored anywhere; locally it stays off.
/// </summary>
public sealed class PostgresIdentityOptions
{
    /// <summary>The DI key of the <see cref="Azure.Core.TokenCredential"/> that gets the tokens (tests put a fake there).</summary>
    public const string CredentialKey = "Postgres";

    /// <summary>Sign in with a Microsoft Entra token (Postgres:UseManagedIdentity).</summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>Client id of a user-assigned managed identity; unset: DefaultAzureCredential (Postgres:ManagedIdentityClientId).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>A new token is requested once the one held expires within this (Postgres:TokenRefreshMargin).</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
}
