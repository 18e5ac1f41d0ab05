using Npgsql;

namespace FfmpegFunctions.Tests.Support;

/// <summary>A throwaway database on the test cluster, dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? server;

    private TestDatabase(string name, NpgsqlDataSource dataSource, string? server = null)
    {
        Name = name;
        DataSource = dataSource;
        this.server = server;
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }
    public string ConnectionString => DataSource.ConnectionString;

    /// <param name="server">A cluster other than the test stack's (an outage test's private one).</param>
    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken = default, string? server = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = NpgsqlDataSource.Create(server ?? StackSettings.Postgres))
        await using (var command = admin.CreateCommand($"CREATE DATABASE {name}"))
            await command.ExecuteNonQueryAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(server ?? StackSettings.Postgres) { Database = name };
        return new TestDatabase(name, NpgsqlDataSource.Create(builder.ConnectionString), server);
    }

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(server ?? StackSettings.Postgres);
        await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }
}
