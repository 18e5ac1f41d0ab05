using Microsoft.Extensions.Logging;
using Npgsql;

namespace FfmpegFunctions.Core.Database;

/// <summary>
/// Applies versioned SQL files, each in its own transaction (PostgreSQL DDL is transactional, so a
/// failing file leaves nothing behind). An advisory lock serialises instances starting together.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Arbitrary constant shared by every instance of this service: "ffmpegfn" in ASCII.
    private const long AdvisoryLockKey = 0x66666d7065676e;

    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(Migration.Embedded(), cancellationToken);

    /// <returns>The versions applied by this call (empty when the schema was current).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            var done = new List<string>();
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                done.Add(migration.Version);
            }
            if (done.Count == 0) LogSchemaCurrent(logger, applied.Count);
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                await command.ExecuteNonQueryAsync(cancellationToken);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (@v, @n)", connection, transaction))
            {
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("n", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, migration.Version, migration.Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            LogFailed(logger, ex, migration.Version, migration.Name);
            throw new InvalidOperationException($"Migration {migration.Name} failed and was rolled back: {ex.Message}", ex);
        }
    }

    private static async Task<HashSet<string>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) versions.Add(reader.GetString(0));
        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Version} ({MigrationName})")]
    private static partial void LogApplied(ILogger logger, string version, string migrationName);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Migration {Version} ({MigrationName}) failed and was rolled back")]
    private static partial void LogFailed(ILogger logger, Exception exception, string version, string migrationName);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Database schema is current ({Count} migrations)")]
    private static partial void LogSchemaCurrent(ILogger logger, int count);
}
