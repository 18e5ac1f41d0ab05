using System.Text.Json;
using Npgsql;
using FfmpegFunctions.Core.Rendering.Planning;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// The render's shared state in PostgreSQL, so step messages stay small: ProbeInputs stores the probed inputs once
/// and Plan the segment windows, instead of every later step carrying them (in the Durable history they were
/// stored once per step). Also the per-part progress of a segment-parallel render.
/// </summary>
public sealed class RenderPlanStore(NpgsqlDataSource dataSource)
{
    public async Task SaveProbedAsync(RenderInput render, ProbedInputs probed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO render_plans (job_id, composition_id, probed) VALUES (@job, @id, @probed)
            ON CONFLICT (job_id) DO UPDATE SET probed = excluded.probed, updated_at = now()
            """);
        command.Parameters.AddWithValue("job", render.JobId);
        command.Parameters.AddWithValue("id", render.CompositionId);
        command.Parameters.AddWithValue("probed", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(probed, JsonSerializerOptions.Web));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveWindowsAsync(RenderInput render, IReadOnlyList<TimelineWindow> windows, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE render_plans SET windows = @windows, updated_at = now() WHERE job_id = @job");
        command.Parameters.AddWithValue("job", render.JobId);
        command.Parameters.AddWithValue("windows", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(windows, JsonSerializerOptions.Web));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new InvalidOperationException($"No probed inputs are stored for job {render.JobId}: ProbeInputs must run before Plan.");
    }

    /// <exception cref="InvalidOperationException">ProbeInputs has not run for this job (a workflow bug, retried as transient).</exception>
    public async Task<ProbedInputs> GetProbedAsync(RenderInput render, CancellationToken cancellationToken) =>
        await ReadAsync<ProbedInputs>(render, "probed", cancellationToken)
        ?? throw new InvalidOperationException($"No probed inputs are stored for job {render.JobId}.");

    public async Task<IReadOnlyList<TimelineWindow>> GetWindowsAsync(RenderInput render, CancellationToken cancellationToken) =>
        await ReadAsync<List<TimelineWindow>>(render, "windows", cancellationToken)
        ?? throw new InvalidOperationException($"No segment windows are stored for job {render.JobId}.");

    /// <summary>Records one part's progress and returns the job's progress, the parts' weighted sum (never lower than before).</summary>
    public async Task<double?> SetPartProgressAsync(RenderInput render, string part, double weight, double percent, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH part AS (
                INSERT INTO render_part_progress (job_id, composition_id, part, weight, percent) VALUES (@job, @id, @part, @weight, @percent)
                ON CONFLICT (job_id, part) DO UPDATE SET percent = greatest(render_part_progress.percent, excluded.percent), weight = excluded.weight
                RETURNING part, weight, percent)
            UPDATE jobs SET progress = greatest(progress, least(100, (
                    SELECT coalesce(sum(weight * percent), 0) FROM (
                        SELECT weight, percent FROM render_part_progress WHERE job_id = @job AND part <> (SELECT part FROM part)
                        UNION ALL SELECT weight, percent FROM part) parts))),
                updated_at = now()
            WHERE composition_id = @id AND status = 'processing'
            RETURNING progress
            """);
        command.Parameters.AddWithValue("job", render.JobId);
        command.Parameters.AddWithValue("id", render.CompositionId);
        command.Parameters.AddWithValue("part", part);
        command.Parameters.AddWithValue("weight", weight);
        command.Parameters.AddWithValue("percent", Math.Clamp(percent, 0, 100));
        return await command.ExecuteScalarAsync(cancellationToken) is float progress ? progress : null;
    }

    /// <summary>Removes the job's plan and part progress once it has ended.</summary>
    public async Task DeleteAsync(RenderInput render, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM render_plans WHERE job_id = @job; DELETE FROM render_part_progress WHERE job_id = @job");
        command.Parameters.AddWithValue("job", render.JobId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T?> ReadAsync<T>(RenderInput render, string column, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {column}::text FROM render_plans WHERE job_id = @job");
        command.Parameters.AddWithValue("job", render.JobId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web) : default;
    }
}
