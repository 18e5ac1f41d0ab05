using Azure.Core;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FfmpegFunctions.Core.Database;

/// <summary>
/// Npgsql's periodic password provider for Microsoft Entra sign-in. Npgsql's timer has one fixed interval, and token
/// lifetimes vary (60-90 minutes, shorter after a policy change), so Npgsql asks every <see cref="CheckInterval"/> and
/// the token held is handed back until it is within the margin of its ExpiresOn (or past the credential's RefreshOn):
/// new physical connections never present an expired token and never wait for Entra ID once the first token is in.
/// </summary>
internal sealed partial class EntraTokenPasswordProvider(TokenCredential credential, TimeProvider time, TimeSpan margin, ILogger<EntraTokenPasswordProvider> logger)
{
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>How often Npgsql asks; well under any margin, so a token is renewed before it is due.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>How soon Npgsql asks again after a failure (Entra ID or the identity endpoint briefly unreachable).</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private volatile Held? held;

    public async ValueTask<string> GetPasswordAsync(NpgsqlConnectionStringBuilder settings, CancellationToken cancellationToken)
    {
        if (held is { } current && time.GetUtcNow() < current.RenewAt) return current.Token;
        AccessToken token;
        try
        {
            token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTokenFailed(logger, settings.Username, ex);
            throw new EntraTokenException(
                $"No Microsoft Entra token for PostgreSQL user '{settings.Username}' (Postgres:UseManagedIdentity is on): {FirstLine(ex.Message)}", ex);
        }
        var renewAt = RenewAt(token, margin);
        held = new Held(token.Token, renewAt);
        LogTokenRefreshed(logger, settings.Username, token.ExpiresOn, renewAt);
        return token.Token;
    }

    internal static DateTimeOffset RenewAt(AccessToken token, TimeSpan margin)
    {
        var beforeExpiry = token.ExpiresOn - margin;
        return token.RefreshOn is { } refreshOn && refreshOn < beforeExpiry ? refreshOn : beforeExpiry;
    }

    // Azure.Identity's messages carry a troubleshooting link and per-credential dumps on later lines.
    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private sealed record Held(string Token, DateTimeOffset RenewAt);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Got a Microsoft Entra token for PostgreSQL user {User}, expiring {ExpiresOn:o}; renewed from {RenewAt:o}")]
    private static partial void LogTokenRefreshed(ILogger logger, string? user, DateTimeOffset expiresOn, DateTimeOffset renewAt);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "No Microsoft Entra token for PostgreSQL user {User}")]
    private static partial void LogTokenFailed(ILogger logger, string? user, Exception exception);
}
