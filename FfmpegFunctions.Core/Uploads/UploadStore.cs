using FfmpegFunctions.Core.Compositions;
using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Uploads;

/// <summary>The uploads feature's SQL. Every query is scoped to a tenant: another tenant's upload reads as unknown.</summary>
public sealed class UploadStore(NpgsqlDataSource dataSource)
{
    private const string ViewColumns = """
        u.id, u.key, u.file_name, coalesce(u.stored_type, u.content_type), coalesce(u.size, u.declared_size), u.status,
        (SELECT count(*)::int FROM upload_uses x JOIN compositions c ON c.id = x.composition_id
         WHERE x.upload_id = u.id AND c.status <> 'deleted'),
        u.created_at, u.confirmed_at, u.rejection
        """;

    /// <summary>Records the uploads whose URLs are about to be handed out (one statement, so all or none).</summary>
    public async Task AddAsync(string tenant, IReadOnlyList<UploadRecord> uploads, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO uploads (id, tenant, key, file_name, content_type, declared_size)
            SELECT * FROM unnest(@ids, @tenants, @keys, @names, @types, @sizes)
            """);
        command.Parameters.AddWithValue("ids", uploads.Select(u => u.Id).ToArray());
        command.Parameters.AddWithValue("tenants", uploads.Select(_ => tenant).ToArray());
        command.Parameters.AddWithValue("keys", uploads.Select(u => u.Key).ToArray());
        command.Parameters.AddWithValue("names", uploads.Select(u => u.FileName).ToArray());
        command.Parameters.AddWithValue("types", uploads.Select(u => u.ContentType).ToArray());
        command.Parameters.AddWithValue("sizes", NpgsqlDbType.Array | NpgsqlDbType.Bigint, uploads.Select(u => (object?)u.DeclaredSize ?? DBNull.Value).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UploadRecord?> GetRecordAsync(Guid id, string tenant, CancellationToken cancellationToken) =>
        (await RecordsAsync("u.id = @id AND u.tenant = @tenant", c => { c.Parameters.AddWithValue("id", id); c.Parameters.AddWithValue("tenant", tenant); }, cancellationToken))
        .SingleOrDefault();

    /// <summary>The tenant's uploads among these object keys (keys of objects put in storage without a row are simply absent).</summary>
    public Task<IReadOnlyList<UploadRecord>> FindByKeysAsync(string tenant, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        RecordsAsync("u.tenant = @tenant AND u.key = ANY(@keys)", c =>
        {
            c.Parameters.AddWithValue("tenant", tenant);
            c.Parameters.AddWithValue("keys", keys.ToArray());
        }, cancellationToken);

    public async Task<UploadView?> GetAsync(Guid id, string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ViewColumns} FROM uploads u WHERE u.id = @id AND u.tenant = @tenant");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? View(reader) : null;
    }

    /// <summary>The tenant's uploads, newest first, with the same keyset cursor as compositions.</summary>
    /// <exception cref="FormatException">the cursor is not one this service made.</exception>
    public async Task<UploadPage> ListAsync(string tenant, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}
            FROM uploads u
            WHERE u.tenant = @tenant AND (@afterTime::timestamptz IS NULL OR (u.created_at, u.id) < (@afterTime, @afterId))
            ORDER BY u.created_at DESC, u.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        PageCursor.AddParameters(command, cursor, limit);
        var items = new List<UploadView>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) items.Add(View(reader));
        }
        if (items.Count <= limit) return new UploadPage(items, null);
        items.RemoveAt(limit);
        var last = items[^1];
        return new UploadPage(items, PageCursor.Encode(new PageCursor(last.CreatedAt, last.Id)));
    }

    /// <summary>Records what the stored object was found to be. Only a pending upload changes (a second confirmation is a no-op).</summary>
    public async Task MarkConfirmedAsync(Guid id, long size, string? storedType, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE uploads SET status = 'confirmed', size = @size, stored_type = @type, confirmed_at = now()
            WHERE id = @id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("size", size);
        command.Parameters.AddWithValue("type", NpgsqlDbType.Text, (object?)storedType ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keeps the row as rejected (its object is deleted), so the same URL cannot bring the file back into use.</summary>
    public async Task MarkRejectedAsync(Guid id, long? size, string? storedType, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE uploads SET status = 'rejected', size = @size, stored_type = @type, rejection = @reason
            WHERE id = @id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("size", NpgsqlDbType.Bigint, (object?)size ?? DBNull.Value);
        command.Parameters.AddWithValue("type", NpgsqlDbType.Text, (object?)storedType ?? DBNull.Value);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The compositions still to render (or rendering) that name this upload.</summary>
    public async Task<IReadOnlyList<Guid>> ActiveUsersAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.id FROM upload_uses x JOIN compositions c ON c.id = x.composition_id
            WHERE x.upload_id = @id AND c.status IN ('pending', 'queued', 'processing')
            ORDER BY c.created_at LIMIT 10
            """);
        command.Parameters.AddWithValue("id", id);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    public async Task DeleteAsync(Guid id, string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM uploads WHERE id = @id AND tenant = @tenant");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenant);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets the rows of objects that retention deleted (any tenant: the sweep works by key).</summary>
    public async Task ForgetKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return;
        await using var command = dataSource.CreateCommand("DELETE FROM uploads WHERE key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", keys.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<UploadRecord>> RecordsAsync(string where, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT u.id, u.tenant, u.key, u.file_name, u.content_type, u.declared_size, u.status, u.rejection FROM uploads u WHERE {where}");
        parameters(command);
        var records = new List<UploadRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new UploadRecord(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return records;
    }

    private static UploadView View(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6),
        reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        reader.IsDBNull(9) ? null : reader.GetString(9));
}
