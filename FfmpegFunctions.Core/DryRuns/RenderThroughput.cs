using Npgsql;

namespace FfmpegFunctions.Core.DryRuns;

/// <summary>One finished render's cost, per megapixel-frame of output (width x height x frames / 10^6).</summary>
public sealed record RenderSample(string Format, double MegapixelFrames, double WallSeconds, long Bytes, double Duration);

/// <summary>
/// This deployment's recent renders, the ground for dry-run estimates: what a megapixel-frame took and weighed in the
/// last completed jobs. Across tenants on purpose (the machines are shared); only aggregates leave this class.
/// </summary>
public sealed class RenderThroughput(NpgsqlDataSource dataSource)
{
    /// <summary>The most recent completed renders of the last week, newest first.</summary>
    public async Task<IReadOnlyList<RenderSample>> RecentAsync(int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(c.output_metadata->>'format', 'mp4'),
                   (c.output_metadata->>'duration')::float8 * coalesce((c.config->'output'->>'fps')::float8, 30)
                       * (c.output_metadata->>'width')::float8 * (c.output_metadata->>'height')::float8 / 1e6,
                   extract(epoch FROM c.completed_at - j.started_at)::float8,
                   (c.output_metadata->>'sizeBytes')::int8,
                   (c.output_metadata->>'duration')::float8
            FROM compositions c JOIN jobs j ON j.composition_id = c.id
            WHERE c.status = 'completed' AND c.completed_at > now() - interval '7 days'
              AND j.started_at IS NOT NULL AND c.output_metadata IS NOT NULL
              AND (c.output_metadata->>'duration')::float8 > 0
            ORDER BY c.completed_at DESC
            LIMIT @max
            """);
        command.Parameters.AddWithValue("max", max);
        var samples = new List<RenderSample>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(1) || reader.IsDBNull(2) || reader.IsDBNull(3)) continue;
            var sample = new RenderSample(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetDouble(4));
            if (sample.MegapixelFrames > 0 && sample.WallSeconds > 0) samples.Add(sample);
        }
        return samples;
    }
}
