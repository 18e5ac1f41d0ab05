using Npgsql;

namespace FfmpegFunctions.Core.Security;

public sealed record ApiKeyInfo(string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The api_keys table. Lookups are by hash, so a key is never compared character by character.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <returns>The info of the new key, or null when the name is taken (names are never reused, even after revocation).</returns>
    public async Task<ApiKeyInfo?> CreateAsync(string name, string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO api_keys (name, key_hash) VALUES (@name, @hash)
            ON CONFLICT DO NOTHING
            RETURNING name, created_at, revoked_at, last_used_at
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("hash", keyHash);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <returns>false when there is no such active key.</returns>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = now() WHERE name = @name AND revoked_at IS NULL");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
        return keys;
    }

    /// <summary>The name of the active key with this hash, marking it used; null when unknown or revoked.</summary>
    public async Task<string?> UseAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE api_keys SET last_used_at = now()
            WHERE key_hash = @hash AND revoked_at IS NULL
            RETURNING name
            """);
        command.Parameters.AddWithValue("hash", keyHash);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
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
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
}
