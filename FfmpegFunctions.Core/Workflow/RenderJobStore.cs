using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Workflow.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// What a render's steps write about their composition and job: status, current step, progress, the outcome. Every
/// write is guarded twice: by status, so at-least-once steps and late workers cannot move a composition backwards,
/// and by the engine's <see cref="ClaimGuard"/>, so a worker that lost its claim writes nothing.
/// (The API's reads and writes are <see cref="CompositionStore"/>'s.)
/// </summary>
public sealed class RenderJobStore(NpgsqlDataSource dataSource)
{
    /// <summary>The spec and job of a composition, for the workflow's steps.</summary>
    public async Task<CompositionWork?> GetWorkAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.id, coalesce(j.job_id, c.id::text), c.config, c.status, c.tenant
            FROM compositions c LEFT JOIN jobs j ON j.composition_id = c.id
            WHERE c.id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var spec = JsonSerializer.Deserialize<CompositionSpec>(reader.GetString(2), CompositionJson.Options)!;
        return new CompositionWork(reader.GetGuid(0), reader.GetString(1), spec, reader.GetString(3), reader.GetString(4));
    }

    /// <summary>The composition's status now (null when it is gone): what a step reads after racing a client's stop.</summary>
    public async Task<string?> GetStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT status FROM compositions WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <returns>"cancelled" or "deleted" when a client stopped the composition, otherwise null.</returns>
    public async Task<string?> GetStoppedStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT CASE WHEN c.status IN ('cancelled', 'deleted') THEN c.status WHEN j.cancel_requested THEN 'cancelled' END
            FROM compositions c LEFT JOIN jobs j ON j.composition_id = c.id
            WHERE c.id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <returns>false when the composition is already finished (cancelled, deleted...) or the claim no longer holds: the caller stops.</returns>
    public Task<bool> MarkProcessingAsync(Guid id, string step, ClaimGuard guard, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            WITH c AS (
                UPDATE compositions SET status = 'processing', updated_at = now()
                WHERE id = @id AND status IN ('pending', 'queued', 'processing') AND {guard.Predicate} RETURNING id)
            UPDATE jobs SET current_step = @step, updated_at = now() WHERE composition_id IN (SELECT id FROM c)
            """, guard, [("id", id), ("step", step)], cancellationToken);

    /// <returns>false when the claim no longer holds.</returns>
    public Task<bool> SetStepAsync(Guid id, string step, ClaimGuard guard, CancellationToken cancellationToken) =>
        UpdateAsync($"UPDATE jobs SET current_step = @step, updated_at = now() WHERE composition_id = @id AND {guard.Predicate}",
            guard, [("id", id), ("step", step)], cancellationToken);

    /// <summary>Progress only moves forward, even when a retried step reports from 0 again.</summary>
    public Task<bool> SetProgressAsync(Guid id, double progress, ClaimGuard guard, CancellationToken cancellationToken) =>
        UpdateAsync($"UPDATE jobs SET progress = greatest(progress, @p), updated_at = now() WHERE composition_id = @id AND {guard.Predicate}",
            guard, [("id", id), ("p", (float)Math.Clamp(progress, 0, 100))], cancellationToken);

    /// <summary>Completes the composition and, in the same statement, records the MarkCompleted step for the run (the
    /// step host's own record then finds it there), so the status never reads completed before /steps shows the step.</summary>
    public async Task<bool> MarkCompletedAsync(Guid id, string outputKey, string thumbnailKey, OutputMetadata output, StepRun run, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($$"""
            WITH c AS (
                UPDATE compositions
                SET status = 'completed', completed_at = coalesce(completed_at, now()), updated_at = now(), error_message = NULL,
                    output_key = @output, thumbnail_key = @thumbnail, output_metadata = @metadata
                WHERE id = @id AND status IN ('queued', 'processing', 'completed') AND {{run.Guard.Predicate}} RETURNING id),
            j AS (
                UPDATE jobs SET progress = 100, current_step = 'completed', updated_at = now(),
                    metadata = jsonb_set(metadata, '{running_steps}', coalesce(metadata->'running_steps', '{}') - @step::text),
                    -- A leased job's status belongs to the engine holding the lease; it finishes it itself.
                    status = CASE WHEN lease_owner IS NULL THEN 'completed' ELSE status END
                WHERE composition_id IN (SELECT id FROM c) RETURNING id),
            recorded AS (
                INSERT INTO job_steps (job_id, step, result, owner, attempt, started_at)
                SELECT id, @step, '{"continue":true}'::jsonb, @owner, @attempt, now() FROM j
                ON CONFLICT (job_id, step) DO NOTHING)
            SELECT count(*) FROM c
            """);
        run.Guard.AddParameters(command);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("output", outputKey);
        command.Parameters.AddWithValue("thumbnail", thumbnailKey);
        command.Parameters.AddWithValue("step", StepNames.MarkCompleted);
        command.Parameters.AddWithValue("owner", run.Owner);
        command.Parameters.AddWithValue("attempt", run.Attempt);
        command.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(output, JsonSerializerOptions.Web));
        return await command.ExecuteScalarAsync(cancellationToken) is long n && n > 0;
    }

    public Task<bool> MarkFailedAsync(Guid id, string error, ClaimGuard guard, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            WITH c AS (
                UPDATE compositions SET status = 'failed', error_message = @error, completed_at = now(), updated_at = now()
                WHERE id = @id AND status IN ('pending', 'queued', 'processing') AND {guard.Predicate} RETURNING id)
            UPDATE jobs SET last_error = @error, updated_at = now(),
                status = CASE WHEN lease_owner IS NULL THEN 'failed' ELSE status END
            WHERE composition_id IN (SELECT id FROM c)
            """, guard, [("id", id), ("error", error)], cancellationToken);

    /// <summary>Whether the claim still holds: checked before writes to storage.</summary>
    public async Task<bool> HoldsAsync(ClaimGuard guard, CancellationToken cancellationToken)
    {
        if (guard.IsAlways) return true;
        await using var command = dataSource.CreateCommand($"SELECT {guard.Predicate}");
        guard.AddParameters(command);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private async Task<bool> UpdateAsync(string sql, ClaimGuard guard, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        guard.AddParameters(command);
        foreach (var (name, value) in parameters)
        {
            if (value is JsonbParameter json) command.Parameters.AddWithValue(name, NpgsqlDbType.Jsonb, json.Json);
            else command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private sealed record JsonbParameter(string Json);
}
