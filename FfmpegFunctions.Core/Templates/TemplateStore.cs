using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Templates;

/// <summary>The templates feature's SQL. A version with used_at set is immutable: updates then add a version.</summary>
public sealed class TemplateStore(NpgsqlDataSource dataSource)
{
    public async Task<TemplateView> CreateAsync(Guid id, string tenant, string name, string specJson, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO templates (id, tenant, name) VALUES (@id, @tenant, @name)", connection, transaction))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("tenant", tenant);
            insert.Parameters.AddWithValue("name", name);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var version = new NpgsqlCommand(
            "INSERT INTO template_versions (template_id, version, spec) VALUES (@id, 1, @spec)", connection, transaction))
        {
            version.Parameters.AddWithValue("id", id);
            version.Parameters.AddWithValue("spec", NpgsqlDbType.Json, specJson);
            await version.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(id, tenant, null, cancellationToken))!;
    }

    /// <summary>
    /// Replaces the latest version while it has never rendered, otherwise adds the next version. The latest
    /// row is locked, so an update racing a render either lands before the render reads it or makes a new version.
    /// </summary>
    /// <returns>null for an unknown template.</returns>
    public async Task<TemplateView?> UpdateAsync(Guid id, string tenant, string? name, string specJson, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int version;
        bool used;
        await using (var latest = new NpgsqlCommand("""
            SELECT v.version, v.used_at IS NOT NULL FROM template_versions v JOIN templates t ON t.id = v.template_id
            WHERE v.template_id = @id AND t.tenant = @tenant ORDER BY v.version DESC LIMIT 1 FOR UPDATE OF v
            """, connection, transaction))
        {
            latest.Parameters.AddWithValue("id", id);
            latest.Parameters.AddWithValue("tenant", tenant);
            await using var reader = await latest.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            version = reader.GetInt32(0);
            used = reader.GetBoolean(1);
        }
        var sql = used
            ? "INSERT INTO template_versions (template_id, version, spec) VALUES (@id, @version + 1, @spec)"
            : "UPDATE template_versions SET spec = @spec, created_at = now() WHERE template_id = @id AND version = @version AND used_at IS NULL";
        await using (var write = new NpgsqlCommand(sql, connection, transaction))
        {
            write.Parameters.AddWithValue("id", id);
            write.Parameters.AddWithValue("version", version);
            write.Parameters.AddWithValue("spec", NpgsqlDbType.Json, specJson);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var touch = new NpgsqlCommand(
            "UPDATE templates SET name = coalesce(@name, name), updated_at = now() WHERE id = @id", connection, transaction))
        {
            touch.Parameters.AddWithValue("id", id);
            touch.Parameters.AddWithValue("name", NpgsqlDbType.Text, (object?)name ?? DBNull.Value);
            await touch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, tenant, null, cancellationToken);
    }

    /// <param name="version">null for the latest.</param>
    public async Task<TemplateView?> GetAsync(Guid id, string tenant, int? version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.name, v.version, v.spec::text, v.created_at, v.used_at,
                   (SELECT max(version) FROM template_versions WHERE template_id = t.id)
            FROM templates t JOIN template_versions v ON v.template_id = t.id
            WHERE t.id = @id AND t.tenant = @tenant AND (@version::int IS NULL OR v.version = @version::int)
            ORDER BY v.version DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("version", NpgsqlDbType.Integer, (object?)version ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        using var spec = JsonDocument.Parse(reader.GetString(3));
        return new TemplateView(
            reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(6),
            spec.RootElement.Clone(),
            TemplateMerger.Placeholders(spec.RootElement).Keys.ToList(),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }

    /// <summary>The tenant's templates, newest first, with the same keyset cursor as compositions.</summary>
    /// <exception cref="FormatException">the cursor is not one this service made.</exception>
    public async Task<TemplatePage> ListAsync(string tenant, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.name, v.version, v.spec::text, t.created_at, t.updated_at
            FROM templates t
            JOIN LATERAL (SELECT version, spec FROM template_versions WHERE template_id = t.id ORDER BY version DESC LIMIT 1) v ON true
            WHERE t.tenant = @tenant AND (@afterTime::timestamptz IS NULL OR (t.created_at, t.id) < (@afterTime, @afterId))
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        PageCursor.AddParameters(command, cursor, limit);
        var items = new List<TemplateSummary>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                using var spec = JsonDocument.Parse(reader.GetString(3));
                items.Add(new TemplateSummary(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2),
                    TemplateMerger.Placeholders(spec.RootElement).Keys.ToList(),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        if (items.Count <= limit) return new TemplatePage(items, null);
        items.RemoveAt(limit);
        var last = items[^1];
        return new TemplatePage(items, PageCursor.Encode(new PageCursor(last.CreatedAt, last.Id)));
    }

    /// <summary>
    /// Deletes a template and all its versions. Compositions made from it are untouched: each stored the merged spec it
    /// was made from, and none refers back to the template.
    /// </summary>
    /// <returns>false for an unknown template (or another tenant's).</returns>
    public async Task<bool> DeleteAsync(Guid id, string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM templates WHERE id = @id AND tenant = @tenant");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("tenant", tenant);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Records that a version has rendered; from then on it is immutable. Idempotent.</summary>
    public async Task MarkUsedAsync(Guid id, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE template_versions SET used_at = coalesce(used_at, now()) WHERE template_id = @id AND version = @version");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
