using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>
/// job_steps, for both engines: which steps of a render finished, when, on which attempt and by whom (GET
/// /api/compositions/{id}/steps reads it), with their results (the Server's engine resumes a job from them).
/// </summary>
public sealed class StepJournal(NpgsqlDataSource dataSource)
{
    /// <summary>A finished step's recorded result, or null.</summary>
    public async Task<string?> GetResultAsync(Guid compositionId, string step, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.result::text FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = @id AND s.step = @step
            """);
        command.Parameters.AddWithValue("id", compositionId);
        command.Parameters.AddWithValue("step", step);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Records a finished step (the first record wins: a step may run more than once). Guarded by the run's claim.</summary>
    /// <returns>false when the claim no longer holds: the result must not count.</returns>
    public async Task<bool> CompleteAsync(Guid compositionId, string step, string resultJson, StepRun run, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($$"""
            WITH held AS (SELECT j.id FROM jobs j WHERE j.composition_id = @id AND {{run.Guard.Predicate}}),
            touched AS (
                UPDATE jobs SET metadata = jsonb_set(metadata, '{running_steps}', coalesce(metadata->'running_steps', '{}') - @step::text), updated_at = now()
                WHERE id IN (SELECT id FROM held)),
            recorded AS (
                INSERT INTO job_steps (job_id, step, result, owner, attempt, started_at)
                SELECT id, @step, @result, @owner, @attempt, @started FROM held
                ON CONFLICT (job_id, step) DO NOTHING)
            SELECT count(*) FROM held
            """);
        run.Guard.AddParameters(command);
        command.Parameters.AddWithValue("id", compositionId);
        command.Parameters.AddWithValue("step", step);
        command.Parameters.AddWithValue("result", NpgsqlDbType.Jsonb, resultJson);
        command.Parameters.AddWithValue("owner", run.Owner);
        command.Parameters.AddWithValue("attempt", run.Attempt);
        command.Parameters.AddWithValue("started", startedAt);
        return await command.ExecuteScalarAsync(cancellationToken) is long held && held > 0;
    }

    /// <summary>
    /// For an engine that reruns a step without claiming anything (Durable Functions): notes that the step is running
    /// and returns its attempt. A step found still marked running is running again (its last run failed, or its worker
    /// died), so that is a new attempt, as a reclaim is in the Server's engine; every rerun adds one to the job's attempts.
    /// </summary>
    public async Task<int> BeginAttemptAsync(Guid compositionId, string step, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH next AS (
                SELECT id, coalesce((metadata->'running_steps'->>@step)::int + 1, 1) AS attempt FROM jobs WHERE composition_id = @id FOR UPDATE)
            UPDATE jobs j
            SET attempts = greatest(j.attempts, 1) + CASE WHEN next.attempt > 1 THEN 1 ELSE 0 END,
                metadata = jsonb_set(j.metadata, '{running_steps}', coalesce(j.metadata->'running_steps', '{}') || jsonb_build_object(@step::text, next.attempt)),
                updated_at = now()
            FROM next WHERE j.id = next.id
            RETURNING next.attempt
            """);
        command.Parameters.AddWithValue("id", compositionId);
        command.Parameters.AddWithValue("step", step);
        return await command.ExecuteScalarAsync(cancellationToken) is int attempt ? attempt : 1;
    }
}
