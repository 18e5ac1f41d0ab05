using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Uploads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FfmpegFunctions.Core.Retention;

/// <summary>
/// Deletes what is past its retention: a completed composition's outputs after Storage:OutputRetention
/// (the composition becomes 'expired'), an input after Storage:InputRetention since the newest composition
/// using it, an upload no composition uses after Storage:AbandonedUploadRetention. Every step is
/// idempotent (objects first, then the row; a crash in between is finished by the next sweep), work is
/// batched, and a PostgreSQL advisory lock lets one instance sweep at a time. Time comes from the
/// injected TimeProvider (never the database clock), so tests can move it.
/// </summary>
public sealed partial class RetentionSweeper(
    NpgsqlDataSource dataSource,
    IObjectStore objects,
    UploadStore uploads,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>The advisory lock key of the sweep (any constant unique to this use; "ffmpret1").</summary>
    public const long LockKey = 0x66666d7072657431;

    /// <summary>Shared sample clips (Core/Samples) are regenerated on demand and never expire.</summary>
    private const string SamplesPrefix = StorageKeys.InputsPrefix + "samples/";

    private RetentionOptions Settings => options.Value;

    public async Task<RetentionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        // A session-level lock on a connection held for the whole sweep: released by the unlock below or,
        // if this process dies, by PostgreSQL when the connection drops.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ExecuteBoolAsync(connection, "SELECT pg_try_advisory_lock(@key)", cancellationToken))
        {
            LogSkipped(logger);
            return RetentionSweepResult.Skipped;
        }
        try
        {
            var now = clock.GetUtcNow();
            var expired = await ExpireOutputsAsync(now - Settings.OutputRetention, cancellationToken);
            var inputs = await DeleteInputsAsync(now, cancellationToken);
            LogSwept(logger, expired, inputs);
            return new RetentionSweepResult(true, expired, inputs);
        }
        finally
        {
            await ExecuteBoolAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private async Task<int> ExpireOutputsAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var ids = new List<Guid>();
            await using (var select = dataSource.CreateCommand("""
                SELECT id FROM compositions WHERE status = 'completed' AND completed_at < @before
                ORDER BY completed_at LIMIT @batch
                """))
            {
                select.Parameters.AddWithValue("before", completedBefore);
                select.Parameters.AddWithValue("batch", Settings.RetentionBatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
            }
            if (ids.Count == 0) return total;

            foreach (var id in ids) await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(id), cancellationToken);
            await using var update = dataSource.CreateCommand("""
                UPDATE compositions SET status = 'expired', output_url = NULL, updated_at = now()
                WHERE id = ANY(@ids) AND status = 'completed'
                """);
            update.Parameters.AddWithValue("ids", ids.ToArray());
            total += await update.ExecuteNonQueryAsync(cancellationToken);
            if (ids.Count < Settings.RetentionBatchSize) return total;
        }
    }

    private async Task<int> DeleteInputsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (uploadIds, keys) = await InUseAsync(now - Settings.InputRetention, cancellationToken);
        var abandonedBefore = now - Settings.AbandonedUploadRetention;
        var deleted = 0;
        string? after = null;
        while (true)
        {
            var page = await objects.ListPageAsync(StorageKeys.InputsPrefix, after, Settings.RetentionBatchSize, cancellationToken);
            if (page.Count == 0) return deleted;
            after = page[^1].Key;
            var gone = new List<string>();
            foreach (var item in page)
            {
                if (item.Key.StartsWith(SamplesPrefix, StringComparison.Ordinal) || keys.Contains(item.Key)) continue;
                if (UploadIdOf(item.Key) is { } uploadId && uploadIds.Contains(uploadId)) continue;
                // Not used by any composition created within InputRetention: either never used (abandoned) or
                // only by older ones. The object's own age keeps a fresh upload whose composition is still to come.
                if (item.LastModified is not { } stored || stored >= abandonedBefore) continue;
                await objects.DeleteAsync(item.Key, cancellationToken);
                gone.Add(item.Key);
                deleted++;
            }
            // An upload whose object retention removed is no longer one the tenant can list or use.
            await uploads.ForgetKeysAsync(gone, cancellationToken);
            if (page.Count < Settings.RetentionBatchSize) return deleted;
        }
    }

    /// <summary>
    /// Every source named by a composition created since <paramref name="since"/>: as upload ids (a bare id or
    /// inputs/{id}/...) and as plain keys. One pass over the window's compositions (index on created_at).
    /// </summary>
    private async Task<(HashSet<Guid> UploadIds, HashSet<string> Keys)> InUseAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var uploadIds = new HashSet<Guid>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT s #>> '{}'
            FROM compositions c, jsonb_path_query(c.config, 'lax $.**.source') s
            WHERE c.created_at >= @since AND jsonb_typeof(s) = 'string'
            """);
        command.Parameters.AddWithValue("since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.GetString(0);
            if (Guid.TryParseExact(source, "D", out var id) || Guid.TryParseExact(source, "N", out id)) uploadIds.Add(id);
            else if (UploadIdOf(source) is { } fromKey) uploadIds.Add(fromKey);
            else keys.Add(source);
        }
        return (uploadIds, keys);
    }

    /// <summary>The upload id of inputs/{id}/{file}; null for any other key.</summary>
    internal static Guid? UploadIdOf(string key)
    {
        if (!key.StartsWith(StorageKeys.InputsPrefix, StringComparison.Ordinal)) return null;
        var rest = key.AsSpan(StorageKeys.InputsPrefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && Guid.TryParseExact(rest[..slash], "D", out var id) ? id : null;
    }

    private static async Task<bool> ExecuteBoolAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", LockKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(EventId = CoreEvents.RetentionSwept, Level = LogLevel.Information, Message = "Retention sweep: {OutputsExpired} compositions expired, {InputsDeleted} inputs deleted")]
    private static partial void LogSwept(ILogger logger, int outputsExpired, int inputsDeleted);

    [LoggerMessage(EventId = CoreEvents.RetentionSkipped, Level = LogLevel.Debug, Message = "Retention sweep skipped: another instance holds the sweep lock")]
    private static partial void LogSkipped(ILogger logger);
}
