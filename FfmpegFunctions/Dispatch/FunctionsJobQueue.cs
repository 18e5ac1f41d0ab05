using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>A queued job the dispatcher is about to start.</summary>
public sealed record QueuedJob(Guid CompositionId, string JobId, int Priority);

/// <summary>
/// The Functions host's SQL on the jobs table, which stays the queue as in the Server: the dispatcher
/// moves queued jobs to processing once their orchestration is started (attempts and job_steps are Core's
/// <see cref="FfmpegFunctions.Core.Workflow.Hosting.StepJournal"/>).
/// The Server's engine never sees these rows as claimable: a started job has no lease to expire.
/// </summary>
public sealed class FunctionsJobQueue(NpgsqlDataSource dataSource)
{
    /// <summary>Any constant shared by every dispatcher: one of them at a time counts and starts jobs.</summary>
    private const long DispatchLock = 0x46_46_44_69_73_70; // "FFDisp"

    /// <summary>
    /// Starts queued jobs in priority order (then age) until <paramref name="maxRunning"/> jobs are running.
    /// All in one transaction: a job is marked processing only if its start succeeded, and a failed start
    /// rolls back so the job stays queued for the next pass. A commit lost after a start is harmless: the next
    /// pass starts the same instance id again, which the start treats as done.
    /// </summary>
    public async Task<IReadOnlyList<QueuedJob>> StartQueuedAsync(int maxRunning, Func<QueuedJob, CancellationToken, Task> start, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", DispatchLock);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // Plain FOR UPDATE, not SKIP LOCKED: the advisory lock already keeps other dispatchers out, so a locked
        // queued row is a short write on it (a step of a job whose start threw after its orchestration began).
        // Skipping that row would hand the slot to a lower priority; waiting for the write keeps the order.
        var jobs = new List<QueuedJob>();
        await using (var select = new NpgsqlCommand("""
            SELECT composition_id, job_id, priority FROM jobs
            WHERE status = 'queued' AND NOT cancel_requested AND run_after <= now()
            ORDER BY priority, created_at, id
            LIMIT greatest(@max - (SELECT count(*) FROM jobs WHERE status = 'processing' AND NOT cancel_requested), 0)
            FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("max", maxRunning);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                jobs.Add(new QueuedJob(reader.GetGuid(0), reader.GetString(1), reader.GetInt16(2)));
        }

        foreach (var job in jobs)
        {
            await start(job, cancellationToken);
            await using var update = new NpgsqlCommand("""
                UPDATE jobs SET status = 'processing', attempts = greatest(attempts, 1), updated_at = now(),
                    started_at = coalesce(started_at, clock_timestamp())
                WHERE composition_id = @id AND status = 'queued'
                """, connection, transaction);
            update.Parameters.AddWithValue("id", job.CompositionId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return jobs;
    }

    /// <summary>
    /// Jobs marked processing that nothing has touched for <paramref name="quietFor"/>: a healthy render writes
    /// progress and step rows far more often, so these are checked against their orchestration.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> QuietProcessingAsync(TimeSpan quietFor, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT composition_id FROM jobs
            WHERE status = 'processing' AND NOT cancel_requested AND lease_owner IS NULL AND updated_at < now() - @quiet
            ORDER BY updated_at LIMIT @max
            """);
        command.Parameters.AddWithValue("quiet", quietFor);
        command.Parameters.AddWithValue("max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>Marks a checked job as seen now, so the next pass does not check it again at once.</summary>
    public async Task TouchAsync(Guid compositionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE jobs SET updated_at = now() WHERE composition_id = @id AND status = 'processing'");
        command.Parameters.AddWithValue("id", compositionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends a job a client stopped while it ran (the Server's worker does this when its heartbeat sees the flag).</summary>
    public async Task FinishStoppedAsync(Guid compositionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs SET status = 'cancelled', metadata = metadata - 'running_steps', updated_at = now()
            WHERE composition_id = @id AND status = 'processing' AND cancel_requested AND lease_owner IS NULL
            """);
        command.Parameters.AddWithValue("id", compositionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
