using System.Text;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// The priority order as a guarantee on the real Durable engine: with one render slot, a freed slot goes to the
/// oldest job of the highest waiting priority, round after round, whatever else holds a queued job's row lock.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class DispatchOrderTests(PipelineMedia media, ITestOutputHelper output)
{
    private const int Rounds = 20;
    /// <summary>One of each per round, lowest first, so each round costs four tiny renders (the blocker's included).</summary>
    private static readonly string[] Arrivals = ["low", "default", "high"];

    /// <remarks>
    /// The injected fault, deterministic in where it lands and random in which rows it hits: while the blocker's slot
    /// frees, a concurrent transaction holds the row lock (FOR NO KEY UPDATE, what any UPDATE of the row takes: a cancel,
    /// a step of an orchestration whose start was rolled back) of each queued high and default job with probability 0.7.
    /// It lets go once the dispatcher has chosen (a job left the queue) or is waiting for one of those rows.
    /// </remarks>
    [Fact]
    public async Task AFreedSlotGoesToTheOldestJobOfTheHighestWaitingPriorityEvenWhileQueuedRowsAreLocked()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        await using var host = await FunctionsAppHost.StartAsync(new Dictionary<string, string?> { ["Dispatch:MaxConcurrentRenders"] = "1" });
        var key = await host.UploadInputAsync(media.Tiny);
        var rounds = new List<Dictionary<Guid, string>>();

        for (var round = 0; round < Rounds; round++)
        {
            var (blocker, held, holder) = await StartHeldBlockerAsync(host, key);
            var queued = new Dictionary<Guid, string>();
            foreach (var priority in Arrivals)
            {
                await Task.Delay(random.Next(0, 15)); // randomised submit timing, not a wait for anything
                queued[await host.CreateAsync(Spec(key, priority))] = priority;
            }
            Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM jobs WHERE status = 'processing'"));

            await using var locker = await host.Database.DataSource.OpenConnectionAsync();
            await using var locks = await locker.BeginTransactionAsync();
            var locked = queued.Where(q => q.Value != "low" && random.NextDouble() < 0.7).Select(q => q.Key).ToList();
            if (locked.Count > 0)
                await ExecuteAsync(locker, locks, $"SELECT 1 FROM jobs WHERE composition_id IN ({string.Join(",", locked.Select(id => $"'{id}'"))}) FOR NO KEY UPDATE");

            await holder.CommitAsync(); // the blocker goes on, completes, and its MarkCompleted kicks the dispatcher
            await held.DisposeAsync();
            var ids = string.Join(",", queued.Keys.Select(id => $"'{id}'"));
            await Eventually.BecomesAsync(async () =>
                    await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id IN ({ids}) AND status <> 'queued'")
                    + await host.Database.CountAsync("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%ORDER BY priority%'
                        """),
                n => n > 0, TimeSpan.FromSeconds(60), $"round {round}: the dispatcher to choose after blocker {blocker}" + Environment.NewLine + host.Problems);
            await locks.CommitAsync();

            await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM compositions WHERE id IN ({ids}) AND status = 'completed'"),
                n => n == queued.Count, TimeSpan.FromSeconds(90), $"round {round}: its {queued.Count} compositions to complete" + Environment.NewLine + host.Problems);
            rounds.Add(queued);
        }

        var broken = new StringBuilder();
        var brokenRounds = 0;
        for (var round = 0; round < rounds.Count; round++)
        {
            var times = await TimesAsync(host.Database, rounds[round].Keys);
            DateTime FirstStart(string priority) => rounds[round].Where(q => q.Value == priority).Min(q => times[q.Key].FirstStep);
            DateTime LastCompleted(string priority) => rounds[round].Where(q => q.Value == priority).Max(q => times[q.Key].Completed);
            var lastHigh = LastCompleted("high");
            var errors = new List<string>();
            if (FirstStart("low") < lastHigh) errors.Add($"a low started {(lastHigh - FirstStart("low")).TotalMilliseconds:0} ms before the last high completed");
            if (FirstStart("default") < lastHigh) errors.Add($"a default started {(lastHigh - FirstStart("default")).TotalMilliseconds:0} ms before the last high completed");
            if (FirstStart("low") < LastCompleted("default")) errors.Add("a low started before the last default completed");
            if (errors.Count == 0) continue;
            brokenRounds++;
            broken.AppendLine($"round {round}: {string.Join("; ", errors)}");
        }
        Assert.True(brokenRounds == 0, $"{brokenRounds} of {Rounds} rounds broke the priority order (seed {seed}):{Environment.NewLine}{broken}");
    }

    /// <summary>
    /// A high composition started in a free slot and held there: a FOR KEY SHARE lock on its job row lets the
    /// dispatcher mark it processing but stops its next step at BeginAttemptAsync (SELECT ... FOR UPDATE) until the
    /// returned transaction commits. Tried again if the render got to MarkCompleted before the lock was taken.
    /// </summary>
    private static async Task<(Guid Blocker, NpgsqlConnection Connection, NpgsqlTransaction Holder)> StartHeldBlockerAsync(FunctionsAppHost host, string key)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var blocker = await host.CreateAsync(Spec(key, "high"));
            var connection = await host.Database.DataSource.OpenConnectionAsync();
            var holder = await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, holder, $"SELECT 1 FROM jobs WHERE composition_id = '{blocker}' FOR KEY SHARE");
            await using var check = new NpgsqlCommand($"""
                SELECT count(*) FROM jobs WHERE composition_id = '{blocker}' AND status = 'processing'
                    AND NOT coalesce(metadata->'running_steps' ? 'MarkCompleted', false)
                """, connection, holder);
            if (await check.ExecuteScalarAsync() is long held && held == 1) return (blocker, connection, holder);
            await holder.RollbackAsync();
            await connection.DisposeAsync();
            await host.WaitForStatusAsync(blocker, TimeSpan.FromSeconds(60), "completed");
        }
        throw new InvalidOperationException("Every blocker finished before it could be held.");
    }

    private static object Spec(string key, string priority) => Specs.Simple(key, width: 160, height: 90, priority: priority, preset: "ultrafast");

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Each job's first step start (job_steps) and its composition's completion.</summary>
    private static async Task<Dictionary<Guid, (DateTime FirstStep, DateTime Completed)>> TimesAsync(TestDatabase db, IEnumerable<Guid> ids)
    {
        await using var command = db.DataSource.CreateCommand($"""
            SELECT j.composition_id, min(s.started_at), c.completed_at
            FROM jobs j JOIN compositions c ON c.id = j.composition_id JOIN job_steps s ON s.job_id = j.id
            WHERE j.composition_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})
            GROUP BY j.composition_id, c.completed_at
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var times = new Dictionary<Guid, (DateTime, DateTime)>();
        while (await reader.ReadAsync()) times[reader.GetGuid(0)] = (reader.GetDateTime(1), reader.GetDateTime(2));
        return times;
    }
}
