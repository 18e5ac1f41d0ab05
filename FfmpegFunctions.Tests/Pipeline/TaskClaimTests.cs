using FfmpegFunctions.Tests.Support;
using Npgsql;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>Fanned-out segments (job_tasks) are claimed under the same rules as jobs: the instance's priorities, and a
/// heartbeat that gives up at half the lease.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class TaskClaimTests(PipelineMedia media)
{
    private static readonly Dictionary<string, string?> Segmented = new() { ["Render:SegmentSeconds"] = "2" };

    [Fact]
    public async Task AHighOnlyInstanceNeverRendersASegmentOfALowJob()
    {
        await using var host = await PipelineHost.CreateAsync();
        var general = host.Start(engine: true, instanceId: "general", slots: 1, extra: Segmented);
        host.Start(engine: true, instanceId: "urgent", slots: 2, extra: new Dictionary<string, string?>(Segmented) { ["Workflow:Priorities"] = "high" });
        using var client = general.CreateClient();
        var key = await host.UploadInputAsync(general, media.Long);

        // The urgent instance is idle the whole time, with free slots, while the low job's segments wait.
        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(key, key, width: 320, height: 180, priority: "low"));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(180), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        var job = $"(SELECT id FROM jobs WHERE composition_id = '{id}')";
        Assert.True(await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = {job}") > 1);
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = {job} AND owner IS DISTINCT FROM 'general'"));
    }

    [Fact]
    public async Task ATaskWhoseLeaseCannotBeRenewedStopsAtHalfTheLeaseAsAJobDoes()
    {
        await using var host = await PipelineHost.CreateAsync();
        var logs = new CapturedLogs();
        var instance = host.Start(engine: true, instanceId: "solo", extra: Segmented, logs: logs);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Long);
        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(key, key, width: 1280, height: 720, preset: "slow"));
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM job_tasks t JOIN jobs j ON j.id = t.job_id WHERE j.composition_id = '{id}' AND t.status = 'running'"),
            n => n > 0, TimeSpan.FromSeconds(60), "a segment to be running");

        // The database stops answering the task's renewals (its row is locked), as a failover or a long lock would.
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand(
            $"SELECT t.step FROM job_tasks t JOIN jobs j ON j.id = t.job_id WHERE j.composition_id = '{id}' AND t.status = 'running' FOR UPDATE OF t", connection, transaction))
            await lockRows.ExecuteNonQueryAsync();
        var locked = DateTimeOffset.UtcNow;

        // Lease 5 s: the task gives up by 2.5 s after its last renewal, long before another instance could claim it.
        await Eventually.BecomesAsync(() => Task.FromResult(logs.Entries.Any(e => e.Message.StartsWith("Lost the lease on task RenderSegment/", StringComparison.Ordinal))),
            lost => lost, TimeSpan.FromSeconds(5), "the task's heartbeat to give up");
        Assert.True(DateTimeOffset.UtcNow - locked < TimeSpan.FromSeconds(5));
        await transaction.RollbackAsync();

        // Then the render goes on: the task is claimed again once its lease ran out.
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(240), "completed", "failed");
        Assert.Equal("completed", view.GetProperty("status").GetString());
    }
}
