using Npgsql;

namespace FfmpegFunctions.Core.Security;

public sealed record ApiKeyInfo(string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string Tenant, string Role);

/// <summary>The api_keys table. Lookups are by hash, so a key is never compared character by character.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <returns>The info of the new key, or null when the name is taken (names are never reused, even after revocation).</returns>
    public async Task<ApiKeyInfo?> CreateAsync(string name, string keyHash, string tenant, Role role, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO api_keys (name, key_hash, tenant, role) VALUES (@name, @hash, @tenant, @role)
            ON CONFLICT DO NOTHING
            RETURNING name, created_at, revoked_at, last_used_at, tenant, role
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("hash", keyHash);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("role", Tenants.Name(role));
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <param name="tenant">Only a key of this tenant (a tenant admin); null for the internal key, which manages all.</param>
    /// <returns>false when there is no such active key.</returns>
    public async Task<bool> RevokeAsync(string name, string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = now() WHERE name = @name AND revoked_at IS NULL AND (@tenant::text IS NULL OR tenant = @tenant)");
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Text, (object?)tenant ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <param name="tenant">Only this tenant's keys; null for all (the internal key).</param>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, created_at, revoked_at, last_used_at, tenant, role FROM api_keys WHERE @tenant::text IS NULL OR tenant = @tenant ORDER BY created_at, name");
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Text, (object?)tenant ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
        return keys;
    }

    /// <summary>The active key with this hash (name, tenant, role), marking it used; null when unknown or revoked.</summary>
    public async Task<ApiKeyIdentity?> UseAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE api_keys SET last_used_at = now()
            WHERE key_hash = @hash AND revoked_at IS NULL
            RETURNING name, tenant, role
            """);
        command.Parameters.AddWithValue("hash", keyHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        Tenants.TryParseRole(reader.GetString(2), out var role);
        return new ApiKeyIdentity(reader.GetString(0), false, reader.GetString(1), role);
    }

    private static async Task<ApiKeyInfo?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApiKeyInfo Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetString(4),
        reader.GetString(5));
}
