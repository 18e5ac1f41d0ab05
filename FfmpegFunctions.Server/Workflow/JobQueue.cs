using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>A job as claimed by one worker.</summary>
/// <param name="RequestId">The id of the HTTP request that created the job, when known.</param>
/// <param name="TraceParent">W3C traceparent of the request that created the job, if it was traced.</param>
public sealed record ClaimedJob(Guid Id, Guid CompositionId, string JobId, int Attempts, int MaxAttempts, string? RequestId = null, string? TraceParent = null)
{
    /// <summary>This claim's fencing token: a takeover bumps attempts, so a stale worker's writes match nothing.</summary>
    public JobFence Fence(string owner) => new(Id, owner, Attempts);
}

/// <summary>The engine's SQL on jobs: SKIP LOCKED claims and leases (checkpoints are Core's job_steps journal). Every write after the claim checks the claim
/// (owner and attempt, the fencing token), not only the owner: the same instance may have re-claimed the job.</summary>
public sealed class JobQueue(NpgsqlDataSource dataSource)
{
    /// <summary>Claims the most urgent runnable job: queued and due, or processing with an expired lease (its worker died).</summary>
    /// <param name="maxAttempts">Workflow:MaxAttempts, written into the job so the setting in force decides (not the column default).</param>
    /// <param name="priorities">Only jobs of these stored priority codes (Workflow:Priorities); null for any.</param>
    public async Task<ClaimedJob?> ClaimAsync(string owner, TimeSpan lease, int maxAttempts, short[]? priorities, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs j
            SET status = 'processing', lease_owner = @owner, lease_expires_at = now() + @lease,
                attempts = j.attempts + 1, max_attempts = @maxAttempts, updated_at = now(),
                started_at = coalesce(j.started_at, clock_timestamp())
            WHERE j.id = (
                SELECT id FROM jobs
                WHERE ((status = 'queued' AND run_after <= now())
                    OR (status = 'processing' AND lease_expires_at < now()))
                  AND (@priorities::smallint[] IS NULL OR priority = ANY(@priorities))
                ORDER BY priority, created_at, id
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING j.id, j.composition_id, j.job_id, j.attempts, j.max_attempts, j.metadata->>'request_id', j.metadata->>'traceparent'
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("maxAttempts", maxAttempts);
        command.Parameters.AddWithValue("priorities", NpgsqlDbType.Array | NpgsqlDbType.Smallint, (object?)priorities ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ClaimedJob(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    /// <param name="deadline">How long the renewal may take: well inside the lease, so a slow database (a lock,
    /// a failover) makes the worker give up in time instead of rendering on after another instance took over.</param>
    /// <exception cref="TimeoutException">the renewal did not answer within <paramref name="deadline"/>.</exception>
    public async Task<Lease> RenewAsync(JobFence claim, TimeSpan lease, TimeSpan deadline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs SET lease_expires_at = now() + @lease
            WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND status = 'processing'
            RETURNING cancel_requested
            """);
        command.Parameters.AddWithValue("id", claim.JobId);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("attempt", claim.Attempt);
        command.Parameters.AddWithValue("lease", lease);
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(deadline.TotalSeconds));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            // WaitAsync too: Npgsql's own cancellation waits for the server to acknowledge, which an unreachable one never does.
            var result = await command.ExecuteScalarAsync(timeout.Token).WaitAsync(deadline, cancellationToken);
            return result is bool cancel ? new Lease(true, cancel ? "cancelled" : null) : new Lease(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Renewing the lease of job {claim.JobId} took longer than {deadline.TotalSeconds:0.###} s.", ex);
        }
    }

    /// <summary>Ends the job (completed, failed, cancelled) if this claim still holds.</summary>
    public async Task FinishAsync(JobFence claim, string status, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs SET status = @status, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE id = @id AND lease_owner = @owner AND attempts = @attempt
            """);
        command.Parameters.AddWithValue("id", claim.JobId);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("attempt", claim.Attempt);
        command.Parameters.AddWithValue("status", status);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Hands the job back to the queue, to run again after <paramref name="delay"/>.</summary>
    /// <param name="countAttempt">false for a graceful shutdown: the job did nothing wrong.</param>
    public async Task ReleaseAsync(JobFence claim, TimeSpan delay, bool countAttempt, string? error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs
            SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
                lease_owner = NULL, lease_expires_at = NULL, run_after = now() + @delay,
                attempts = CASE WHEN @count THEN attempts ELSE greatest(attempts - 1, 0) END,
                last_error = coalesce(@error, last_error), updated_at = now()
            WHERE id = @id AND lease_owner = @owner AND attempts = @attempt
            """);
        command.Parameters.AddWithValue("id", claim.JobId);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("attempt", claim.Attempt);
        command.Parameters.AddWithValue("delay", delay);
        command.Parameters.AddWithValue("count", countAttempt);
        command.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
