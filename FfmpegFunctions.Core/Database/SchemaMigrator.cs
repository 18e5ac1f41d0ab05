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
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", [("key", AdvisoryLockKey)], cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            await ExecuteAsync(connection, "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text", cancellationToken);

            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            // An applied file that changed afterwards would leave databases that ran the old text and
            // databases that run the new one with different schemas: refuse to start instead.
            foreach (var migration in migrations.Where(m => applied.TryGetValue(m.Version, out var sum) && sum is not null && sum != m.Checksum))
                throw new InvalidOperationException(
                    $"Migration {migration.Name} was changed after it was applied to this database; add a new migration instead of editing an applied one.");
            await RecordMissingChecksumsAsync(connection, migrations, applied, cancellationToken);

            var done = new List<string>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                done.Add(migration.Version);
            }
            if (done.Count == 0) LogSchemaCurrent(logger, applied.Count);
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", [("key", AdvisoryLockKey)], CancellationToken.None);
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                await command.ExecuteNonQueryAsync(cancellationToken);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", connection, transaction))
            {
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("n", migration.Name);
                record.Parameters.AddWithValue("c", migration.Checksum);
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

    /// <returns>Applied versions and their checksums (null for rows written before checksums were kept).</returns>
    private static async Task<Dictionary<string, string?>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) versions[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return versions;
    }

    private static async Task RecordMissingChecksumsAsync(NpgsqlConnection connection, IReadOnlyList<Migration> migrations, Dictionary<string, string?> applied, CancellationToken cancellationToken)
    {
        foreach (var migration in migrations.Where(m => applied.TryGetValue(m.Version, out var sum) && sum is null))
        {
            await ExecuteAsync(connection, "UPDATE schema_migrations SET checksum = @c WHERE version = @v AND checksum IS NULL", [("c", migration.Checksum), ("v", migration.Version)], cancellationToken);
        }
    }

    private static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, sql, [], cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = CoreEvents.MigrationApplied, Level = LogLevel.Information, Message = "Applied migration {Version} ({MigrationName})")]
    private static partial void LogApplied(ILogger logger, string version, string migrationName);

    [LoggerMessage(EventId = CoreEvents.MigrationFailed, Level = LogLevel.Error, Message = "Migration {Version} ({MigrationName}) failed and was rolled back")]
    private static partial void LogFailed(ILogger logger, Exception exception, string version, string migrationName);

    [LoggerMessage(EventId = CoreEvents.SchemaCurrent, Level = LogLevel.Information, Message = "Database schema is current ({Count} migrations)")]
    private static partial void LogSchemaCurrent(ILogger logger, int count);
}
