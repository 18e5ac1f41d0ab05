using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Workflow;
using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>The compositions API's SQL, plain and parameterised, scoped to the caller's tenant. (What a render's steps
/// write is <see cref="Workflow.RenderJobStore"/>'s.)</summary>
public sealed class CompositionStore(NpgsqlDataSource dataSource)
{
    private const string ViewColumns = """
        c.id, c.title, c.status, c.priority, coalesce(j.progress, 0), j.current_step, coalesce(j.attempts, 0),
        c.created_at, c.updated_at, c.completed_at, c.error_message, c.output_metadata
        """;

    /// <summary>Writes the composition and its job in one transaction (no dual write).</summary>
    /// <param name="origin">Who asked: kept in jobs.metadata so the worker's logs name the request and its spans join its trace.</param>
    /// <param name="tenant">The caller's tenant: owns the composition and scopes its idempotency key.</param>
    public async Task<CreateResult> CreateAsync(Guid id, CompositionSpec spec, string? idempotencyKey, byte[] requestHash, JobOrigin origin, string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var priority = PriorityCodes.ToCode(spec.Priority);

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO compositions (id, title, config, status, priority, idempotency_key, request_hash, tenant)
            VALUES (@id, @title, @config, 'queued', @priority, @key, @hash, @tenant)
            ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("title", (object?)spec.Title ?? DBNull.Value);
            insert.Parameters.AddWithValue("config", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(spec, CompositionJson.Options));
            insert.Parameters.AddWithValue("priority", priority);
            insert.Parameters.AddWithValue("key", (object?)idempotencyKey ?? DBNull.Value);
            insert.Parameters.AddWithValue("hash", requestHash);
            insert.Parameters.AddWithValue("tenant", tenant);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await ReplayAsync(idempotencyKey!, requestHash, tenant, cancellationToken);
            }
        }

        await using (var job = new NpgsqlCommand("""
            INSERT INTO jobs (id, composition_id, job_id, status, priority, metadata)
            VALUES (@id, @composition, @jobId, 'queued', @priority, @metadata)
            """, connection, transaction))
        {
            job.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, origin.ToMetadataJson());
            job.Parameters.AddWithValue("id", Guid.CreateVersion7());
            job.Parameters.AddWithValue("composition", id);
            job.Parameters.AddWithValue("jobId", id.ToString("D"));
            job.Parameters.AddWithValue("priority", priority);
            await job.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new CreateResult(CreateOutcome.Created, id, CompositionStatus.Queued);
    }

    private async Task<CreateResult> ReplayAsync(string idempotencyKey, byte[] requestHash, string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, status, request_hash FROM compositions WHERE tenant = @tenant AND idempotency_key = @key");
        command.Parameters.AddWithValue("key", idempotencyKey);
        command.Parameters.AddWithValue("tenant", tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException("An idempotency key conflicted but its composition is gone; retry the request.");
        var id = reader.GetGuid(0);
        var status = reader.GetString(1);
        var hash = reader.IsDBNull(2) ? [] : (byte[])reader[2];
        return new CreateResult(hash.AsSpan().SequenceEqual(requestHash) ? CreateOutcome.Replayed : CreateOutcome.KeyReusedWithDifferentBody, id, status);
    }

    /// <param name="includeSpec">false for live subscribers, which only need the state: the spec is the largest column.</param>
    /// <param name="tenant">The caller's tenant: another tenant's composition reads as unknown (null). Null: any (internal callers).</param>
    public async Task<CompositionView?> GetAsync(Guid id, string? tenant, bool includeSpec, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}, {(includeSpec ? "c.config" : "NULL::jsonb")}, j.started_at, now()
            FROM compositions c LEFT JOIN jobs j ON j.composition_id = c.id
            WHERE c.id = @id AND (@tenant::text IS NULL OR c.tenant = @tenant)
            """);
        command.Parameters.AddWithValue("id", id);
        AddTenant(command, tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        JsonElement? spec = null;
        if (!reader.IsDBNull(12))
        {
            using var document = JsonDocument.Parse(reader.GetString(12));
            spec = document.RootElement.Clone();
        }
        return new CompositionView(
            reader.GetGuid(0), NullableString(reader, 1), reader.GetString(2), PriorityCodes.ToName(reader.GetInt16(3)),
            Math.Round(reader.GetFloat(4), 1), NullableString(reader, 5), reader.GetInt32(6),
            reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            CompositionError.From(NullableString(reader, 10)),
            reader.IsDBNull(11) ? null : JsonSerializer.Deserialize<OutputMetadata>(reader.GetString(11), JsonSerializerOptions.Web),
            spec,
            reader.GetString(2) == CompositionStatus.Processing && !reader.IsDBNull(13)
                ? RenderEta.Estimate(reader.GetFloat(4), 0, reader.GetFieldValue<DateTimeOffset>(13), reader.GetFieldValue<DateTimeOffset>(14))
                : null);
    }

    /// <summary>Newest first, keyset-paged on (created_at, id); deleted compositions are left out unless asked for.</summary>
    public async Task<CompositionPage> ListAsync(string? status, int limit, string? cursor, string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}
            FROM compositions c LEFT JOIN jobs j ON j.composition_id = c.id
            WHERE (@status::text IS NULL AND c.status <> 'deleted' OR c.status = @status) AND (@tenant::text IS NULL OR c.tenant = @tenant)
              AND (@afterTime::timestamptz IS NULL OR (c.created_at, c.id) < (@afterTime, @afterId))
            ORDER BY c.created_at DESC, c.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("status", NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
        PageCursor.AddParameters(command, cursor, limit);
        AddTenant(command, tenant);
        var items = new List<CompositionSummary>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CompositionSummary(
                reader.GetGuid(0), NullableString(reader, 1), reader.GetString(2), PriorityCodes.ToName(reader.GetInt16(3)),
                Math.Round(reader.GetFloat(4), 1), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), CompositionError.From(NullableString(reader, 10))));
        }
        if (items.Count <= limit) return new CompositionPage(items, null);
        items.RemoveAt(limit);
        var last = items[^1];
        return new CompositionPage(items, PageCursor.Encode(new PageCursor(last.CreatedAt, last.Id)));
    }

    /// <summary>Cancels a composition that has not finished: a queued job never starts, a running one is told to stop.</summary>
    /// <returns>The status after the call, or null for an unknown id.</returns>
    public Task<string?> CancelAsync(Guid id, string? tenant, CancellationToken cancellationToken) =>
        EndAsync(id, CompositionStatus.Cancelled, onlyUnfinished: true, tenant, cancellationToken);

    /// <summary>Marks a composition deleted (stopping its render if any); the caller removes its objects.</summary>
    public Task<string?> MarkDeletedAsync(Guid id, string? tenant, CancellationToken cancellationToken) =>
        EndAsync(id, CompositionStatus.Deleted, onlyUnfinished: false, tenant, cancellationToken);

    /// <param name="tenant">Another tenant's composition is left alone and reads as unknown (null).</param>
    private async Task<string?> EndAsync(Guid id, string status, bool onlyUnfinished, string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Another tenant's composition is as absent as an unknown one: nothing is written, null is answered.
        await using (var owned = new NpgsqlCommand($"SELECT 1 FROM compositions c WHERE c.id = @id AND {Tenanted} FOR UPDATE", connection, transaction))
        {
            owned.Parameters.AddWithValue("id", id);
            AddTenant(owned, tenant);
            if (await owned.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }
        bool ended;
        await using (var update = new NpgsqlCommand($"""
            UPDATE compositions SET status = @status, updated_at = now(), completed_at = coalesce(completed_at, now())
            WHERE id = @id AND status <> 'deleted' {(onlyUnfinished ? "AND status IN ('pending', 'queued', 'processing')" : "")}
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("status", status);
            ended = await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
        // A cancel that found the composition finished changes nothing: its job may still be finishing
        // (MarkCompleted under way), and stopping it there would lose the completion's event and webhook.
        // A delete always stops the job: whatever it still writes is removed with the composition.
        if (ended || !onlyUnfinished)
        {
            await using var job = new NpgsqlCommand("""
                UPDATE jobs SET cancel_requested = true, updated_at = now(),
                    status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END
                WHERE composition_id = @id AND status IN ('queued', 'processing')
                """, connection, transaction);
            job.Parameters.AddWithValue("id", id);
            await job.ExecuteNonQueryAsync(cancellationToken);
        }
        string? result;
        await using (var read = new NpgsqlCommand("SELECT status FROM compositions WHERE id = @id", connection, transaction))
        {
            read.Parameters.AddWithValue("id", id);
            result = (string?)await read.ExecuteScalarAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The workflow steps a composition's job has checkpointed, in the order they started;
    /// null for an unknown composition. Only the Server's engine writes job_steps.</summary>
    public async Task<IReadOnlyList<StepView>?> GetStepsAsync(Guid id, string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.step, s.attempt, s.started_at, s.completed_at
            FROM compositions c
            LEFT JOIN jobs j ON j.composition_id = c.id
            LEFT JOIN job_steps s ON s.job_id = j.id
            WHERE c.id = @id AND {Tenanted}
            ORDER BY s.started_at, s.completed_at
            """);
        command.Parameters.AddWithValue("id", id);
        AddTenant(command, tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<StepView>? steps = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            steps ??= [];
            if (reader.IsDBNull(0)) continue; // the composition exists but has no step yet
            steps.Add(new StepView(reader.GetString(0), reader.GetInt32(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return steps;
    }

    /// <summary>Output keys of a composition, for downloads and deletes.</summary>
    public async Task<(string Status, string? OutputKey, string? ThumbnailKey)?> GetOutputKeysAsync(Guid id, string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT c.status, c.output_key, c.thumbnail_key FROM compositions c WHERE c.id = @id AND {Tenanted}");
        command.Parameters.AddWithValue("id", id);
        AddTenant(command, tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2));
    }

    // Reads and ends scoped to the caller's tenant; null (workflow steps, internal callers) sees every tenant.
    private const string Tenanted = "(@tenant::text IS NULL OR c.tenant = @tenant)";

    private static void AddTenant(NpgsqlCommand command, string? tenant) =>
        command.Parameters.AddWithValue("tenant", NpgsqlDbType.Text, (object?)tenant ?? DBNull.Value);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

}

/// <summary>An opaque keyset cursor: the last row's (created_at, id).</summary>
public sealed record PageCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public static string Encode(PageCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            cursor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + cursor.Id.ToString("N")));

    /// <summary>The keyset parameters every paged list uses: @afterTime and @afterId (the cursor's row, or none) and
    /// @limit, one more than asked so the store knows whether another page follows.</summary>
    /// <exception cref="FormatException">not a cursor this service made.</exception>
    public static void AddParameters(NpgsqlCommand command, string? cursor, int limit)
    {
        var after = cursor is null ? null : Decode(cursor);
        command.Parameters.AddWithValue("afterTime", NpgsqlDbType.TimestampTz, (object?)after?.CreatedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("afterId", NpgsqlDbType.Uuid, (object?)after?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", limit + 1);
    }

    /// <exception cref="FormatException">not a cursor this service made.</exception>
    public static PageCursor Decode(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('_');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && Guid.TryParseExact(parts[1], "N", out var id))
                return new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }
        catch (FormatException) { }
        catch (ArgumentOutOfRangeException) { }
        throw new FormatException("The cursor is not one this service returned.");
    }
}
