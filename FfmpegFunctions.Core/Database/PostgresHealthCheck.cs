using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FfmpegFunctions.Core.Database;

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, IOptions<PostgresIdentityOptions> identity) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy(Describe(ex));
        }
    }

    // With Entra sign-in, Npgsql's own messages ("An exception was thrown from the periodic password provider",
    // "password authentication failed") hide that the password is a token: say what was refused.
    private string Describe(Exception ex)
    {
        if (!identity.Value.UseManagedIdentity) return ex.Message;
        for (var inner = ex; inner is not null; inner = inner.InnerException)
            if (inner is EntraTokenException entra) return entra.Message;
        var user = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Username;
        return ex is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } refused
            ? $"PostgreSQL refused the Microsoft Entra token for user '{user}' ({refused.SqlState}): is that name a Microsoft Entra principal on the server, and is the token for this identity?"
            : ex.Message;
    }
}
