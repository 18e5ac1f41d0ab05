using NpgsqlTypes;
using Npgsql;
using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>A fanned-out step as claimed by one instance.</summary>
/// <param name="Key">The task's step key, e.g. "RenderSegment/3".</param>
/// <param name="RenderJobId">The job's id as the steps know it (<see cref="RenderInput.JobId"/>): its local folder and temp/ prefix.</param>
public sealed record ClaimedTask(Guid JobId, Guid CompositionId, string Key, string InputJson, int Attempts, string RenderJobId)
{
    /// <summary>The step's name, without the index.</summary>
    public string Step => Key.Split('/')[0];
}

/// <summary>The state of one task, as the job's owner sees it while waiting.</summary>
public sealed record TaskState(string Key, string Status, string? ResultJson, string? Error);

/// <summary>
/// SQL of fanned-out steps (job_tasks): the job's owner enqueues them, any instance claims one (SKIP LOCKED) and runs
/// it under a lease, a crashed claimer's task is claimed again once its lease ran out, and every write after the
/// claim checks owner and attempt, like the jobs' fence.
/// </summary>
public sealed class JobTasks(NpgsqlDataSource dataSource)
{
    /// <summary>Adds the tasks unless they are there already (a resumed owner finds its earlier ones, results and all).</summary>
    /// <returns>false when <paramref name="claim"/> no longer holds the job.</returns>
    public async Task<bool> EnqueueAsync(JobFence claim, IReadOnlyList<(string Key, string InputJson)> tasks, CancellationToken cancellationToken)
    {
        var guard = claim.Guard();
        await using var command = dataSource.CreateCommand($"""
            WITH held AS (SELECT {guard.Predicate} AS ok),
            added AS (
                INSERT INTO job_tasks (job_id, step, input)
                SELECT @id, t.key, t.input::jsonb FROM unnest(@keys, @inputs) AS t(key, input) WHERE (SELECT ok FROM held)
                ON CONFLICT (job_id, step) DO NOTHING)
            SELECT ok FROM held
            """);
        guard.AddParameters(command);
        command.Parameters.AddWithValue("id", claim.JobId);
        command.Parameters.AddWithValue("keys", tasks.Select(t => t.Key).ToArray());
        command.Parameters.AddWithValue("inputs", tasks.Select(t => t.InputJson).ToArray());
        var held = await command.ExecuteScalarAsync(cancellationToken) is true;
        // Idle instances wake for these as for a queued job.
        await using (var notify = dataSource.CreateCommand($"SELECT pg_notify('{JobSignal.Channel}', '')"))
            await notify.ExecuteNonQueryAsync(cancellationToken);
        return held;
    }

    /// <summary>Claims a runnable task: of <paramref name="jobId"/> only (its owner), or of any running job (a helper).</summary>
    /// <param name="priorities">Only tasks of jobs of these stored priority codes (Workflow:Priorities), as for job claims:
    /// a worker kept for urgent renders renders no segment of a low one; null for any.</param>
    public async Task<ClaimedTask?> ClaimAsync(string owner, TimeSpan lease, Guid? jobId, short[]? priorities, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_tasks t
            SET status = 'running', owner = @owner, lease_expires_at = now() + @lease, attempts = t.attempts + 1,
                started_at = coalesce(t.started_at, now())
            FROM jobs j
            WHERE j.id = t.job_id AND (t.job_id, t.step) = (
                SELECT x.job_id, x.step FROM job_tasks x JOIN jobs y ON y.id = x.job_id
                WHERE ((x.status = 'queued' AND x.run_after <= now()) OR (x.status = 'running' AND x.lease_expires_at < now()))
                  AND y.status = 'processing' AND NOT y.cancel_requested
                  AND (@job::uuid IS NULL OR x.job_id = @job)
                  AND (@priorities::smallint[] IS NULL OR y.priority = ANY(@priorities))
                ORDER BY x.run_after, x.job_id, x.step
                FOR UPDATE OF x SKIP LOCKED
                LIMIT 1)
            RETURNING t.job_id, j.composition_id, t.step, t.input::text, t.attempts, j.job_id
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("job", NpgsqlDbType.Uuid, (object?)jobId ?? DBNull.Value);
        command.Parameters.AddWithValue("priorities", NpgsqlDbType.Array | NpgsqlDbType.Smallint, (object?)priorities ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ClaimedTask(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5));
    }

    /// <summary>Renews the task's lease.</summary>
    /// <returns>Not held when the claim moved on or the job no longer renders (failed, or finished elsewhere); held with
    /// the composition's stop when a client cancelled or deleted it.</returns>
    public async Task<Lease> RenewAsync(ClaimedTask task, string owner, TimeSpan lease, TimeSpan deadline, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_tasks t SET lease_expires_at = now() + @lease
            FROM jobs j JOIN compositions c ON c.id = j.composition_id
            WHERE t.job_id = @id AND t.step = @step AND t.owner = @owner AND t.attempts = @attempt AND t.status = 'running' AND j.id = t.job_id
            RETURNING CASE WHEN c.status IN ('cancelled', 'deleted') THEN c.status WHEN j.cancel_requested THEN 'cancelled'
                           WHEN j.status <> 'processing' OR c.status <> 'processing' THEN 'ended' ELSE 'rendering' END
            """);
        Fence(command, task, owner);
        command.Parameters.AddWithValue("lease", lease);
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(deadline.TotalSeconds));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            return await command.ExecuteScalarAsync(timeout.Token).WaitAsync(deadline, cancellationToken) switch
            {
                "rendering" => new Lease(true),
                string stop and not "ended" => new Lease(true, stop),
                _ => new Lease(false),
            };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Renewing the lease of task {task.Key} took longer than {deadline.TotalSeconds:0.###} s.", ex);
        }
    }

    /// <summary>Records the result; the owner stays on the row, as who rendered it.</summary>
    public async Task CompleteAsync(ClaimedTask task, string owner, string resultJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_tasks SET status = 'completed', result = @result::jsonb, error = NULL, lease_expires_at = NULL, completed_at = now()
            WHERE job_id = @id AND step = @step AND owner = @owner AND attempts = @attempt AND status = 'running'
            """);
        Fence(command, task, owner);
        command.Parameters.AddWithValue("result", resultJson);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A failed attempt: queued again after <paramref name="retryAfter"/>, or failed for good when it is null.</summary>
    public async Task FailAsync(ClaimedTask task, string owner, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_tasks
            SET status = CASE WHEN @retry::interval IS NULL THEN 'failed' ELSE 'queued' END,
                run_after = now() + coalesce(@retry::interval, interval '0'), error = @error, owner = NULL, lease_expires_at = NULL
            WHERE job_id = @id AND step = @step AND owner = @owner AND attempts = @attempt AND status = 'running'
            """);
        Fence(command, task, owner);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("retry", NpgsqlDbType.Interval, (object?)retryAfter ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Hands a task back untouched (its instance is shutting down): another claims it at once, no attempt counted.</summary>
    public async Task ReleaseAsync(ClaimedTask task, string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE job_tasks SET status = 'queued', owner = NULL, lease_expires_at = NULL, run_after = now(), attempts = greatest(attempts - 1, 0)
            WHERE job_id = @id AND step = @step AND owner = @owner AND attempts = @attempt AND status = 'running'
            """);
        Fence(command, task, owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TaskState>> GetAsync(Guid jobId, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT step, status, result::text, error FROM job_tasks WHERE job_id = @id AND step = ANY(@keys)");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        var states = new List<TaskState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            states.Add(new TaskState(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return states;
    }

    /// <summary>Whether this instance still needs its local copies of the job's inputs: it owns the job (its Join reads
    /// them), or some of the job's tasks wait to be claimed (likely by it again, and a copy saves a download).</summary>
    public async Task<bool> NeedsLocalCopiesAsync(Guid jobId, string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @id AND lease_owner = @owner AND status = 'processing')
                OR EXISTS (SELECT 1 FROM job_tasks t JOIN jobs j ON j.id = t.job_id
                           WHERE t.job_id = @id AND t.status = 'queued' AND j.status = 'processing' AND NOT j.cancel_requested)
            """);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("owner", owner);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static void Fence(NpgsqlCommand command, ClaimedTask task, string owner)
    {
        command.Parameters.AddWithValue("id", task.JobId);
        command.Parameters.AddWithValue("step", task.Key);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("attempt", task.Attempts);
    }
}
