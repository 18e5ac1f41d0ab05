using System.Diagnostics;
using Npgsql;

namespace FfmpegFunctions.Bench.Workflow;

/// <summary>
/// What both modes need from the running stack: private databases on its PostgreSQL (dropped at the end), the
/// settings an app instance gets, the wait for a composition to complete, and ffmpeg for making inputs.
/// </summary>
internal sealed class BenchStack(string admin) : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key-0123456789";
    private readonly List<string> databases = [];

    public static BenchStack FromEnvironment() => new(Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set: source .stack/<name>/env first."));

    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var command = source.CreateCommand($"CREATE DATABASE {name}"))
            await command.ExecuteNonQueryAsync(cancellationToken);
        databases.Add(name);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static Dictionary<string, string?> Settings(string connectionString, string work) => new()
    {
        ["ConnectionStrings:Postgres"] = connectionString,
        ["Auth:BootstrapKey"] = ApiKey,
        ["RateLimit:PermitsPerSecond"] = "10000",
        ["RateLimit:Burst"] = "10000",
        ["Webhooks:SigningSecret"] = "bench-only-signing-secret-0123456789",
        ["Render:WorkDirectory"] = work,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Polls until completed, then reads the wall time from the rows (so the poll interval does not count).</summary>
    public static async Task<double> WaitCompletedAsync(string connectionString, Guid id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await using var command = source.CreateCommand("SELECT status, extract(epoch FROM completed_at - created_at)::float8 FROM compositions WHERE id = @id");
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var status = reader.GetString(0);
                if (status == "completed") return reader.GetDouble(1);
                if (status is "failed" or "cancelled") throw new InvalidOperationException($"composition {id} ended {status}");
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"composition {id} did not complete in {timeout.TotalMinutes:0} min");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var source = NpgsqlDataSource.Create(admin);
        foreach (var name in databases)
        {
            await using var command = source.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await command.ExecuteNonQueryAsync();
        }
    }
}
