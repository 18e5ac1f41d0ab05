using Npgsql;

namespace FfmpegFunctions.Tests.Support;

/// <summary>A throwaway database on the test cluster, dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, NpgsqlDataSource dataSource)
    {
        Name = name;
        DataSource = dataSource;
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }
    public string ConnectionString => DataSource.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = NpgsqlDataSource.Create(StackSettings.Postgres))
        await using (var command = admin.CreateCommand($"CREATE DATABASE {name}"))
            await command.ExecuteNonQueryAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(StackSettings.Postgres) { Database = name };
        return new TestDatabase(name, NpgsqlDataSource.Create(builder.ConnectionString));
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
        await using var admin = NpgsqlDataSource.Create(StackSettings.Postgres);
        await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }
}
