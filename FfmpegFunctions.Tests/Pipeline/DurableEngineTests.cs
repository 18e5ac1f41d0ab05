using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FfmpegFunctions.Tests.Pipeline;

[Collection(nameof(PipelineCollection))]
public sealed class DurableEngineTests(PipelineMedia media)
{
    [Fact]
    public async Task AJobInterruptedByShutdownResumesOnAnotherInstanceAfterItsLastCompletedStep()
    {
        await using var host = await PipelineHost.CreateAsync();
        var first = host.Start(engine: true, instanceId: "first");
        using var client = first.CreateClient();
        var id = await host.StartLongRenderAsync(first, client, media.Long);

        await host.StopAsync(first); // graceful shutdown in the middle of the render

        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'queued' AND lease_owner IS NULL"));
        Assert.Empty(FailureTests.FfmpegProcessesUnder(host.WorkRoot));

        var second = host.Start(engine: true, instanceId: "second");
        using var client2 = second.CreateClient();
        var view = await PipelineHost.WaitForStatusAsync(client2, id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'completed' AND lease_owner IS NULL"),
            n => n == 1, TimeSpan.FromSeconds(10), "the engine to finish the job");
        var owners = await StepOwnersAsync(host.Database, id);
        Assert.Equal("first", owners["MarkProcessing"]);
        Assert.Equal("first", owners["ProbeInputs"]);
        Assert.Equal("first", owners["Plan"]);
        Assert.Equal("second", owners["Render"]);
        Assert.Equal("second", owners["Publish"]);
        Assert.Equal("second", owners["MarkCompleted"]);
        Assert.Equal(1, view.GetProperty("attempts").GetInt32()); // a handback is not a failure
        var outputs = await second.Services.GetRequiredService<IObjectStore>().ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None);
        Assert.Equal([StorageKeys.Output(id, Core.Compositions.OutputFormat.Mp4), StorageKeys.Thumbnail(id)], outputs.Select(o => o.Key).Order());
        Assert.Empty(await second.Services.GetRequiredService<IObjectStore>().ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
    }

    [Fact]
    public async Task AKilledFfmpegIsATransientFailureRetriedFromTheLastCheckpoint()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var id = await host.StartLongRenderAsync(instance, client, media.Long);
        var probedAt = await host.Database.CountAsync($"SELECT extract(epoch FROM s.completed_at)::bigint FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'ProbeInputs'");

        foreach (var pid in FailureTests.FfmpegProcessesUnder(host.WorkRoot)) System.Diagnostics.Process.GetProcessById(pid).Kill();
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(2, view.GetProperty("attempts").GetInt32());
        // The second attempt resumed: the probe step was not run again.
        Assert.Equal(probedAt, await host.Database.CountAsync($"SELECT extract(epoch FROM s.completed_at)::bigint FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'ProbeInputs'"));
        Assert.Equal(2, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Render'"));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'ProbeInputs'"));
    }

    [Fact]
    public async Task TwoEnginesRunTwentyJobsEachExactlyOnceHighPriorityFirst()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var key = await host.UploadInputAsync(api, media.Tiny);
        var priorities = new Dictionary<Guid, string>();
        for (var i = 0; i < 20; i++)
        {
            var priority = (i % 3) switch { 0 => "low", 1 => "default", _ => "high" };
            priorities[await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90, priority: priority, preset: "ultrafast"))] = priority;
        }

        host.Start(engine: true, instanceId: "engine-a");
        host.Start(engine: true, instanceId: "engine-b");
        await Eventually.BecomesAsync(() => host.Database.CountAsync("SELECT count(*) FROM compositions WHERE status = 'completed'"),
            n => n == 20, TimeSpan.FromSeconds(120), "all 20 compositions to complete");
        // The composition is marked completed by the workflow's last step, its job just after by the worker.
        await Eventually.BecomesAsync(() => host.Database.CountAsync("SELECT count(*) FROM jobs WHERE status = 'completed'"),
            n => n == 20, TimeSpan.FromSeconds(10), "all 20 jobs to be finished by their worker");

        Assert.Equal(20, await host.Database.CountAsync("SELECT count(*) FROM jobs WHERE status = 'completed' AND attempts = 1"));
        Assert.Equal(20, await host.Database.CountAsync("SELECT count(*) FROM job_steps WHERE step = 'Render'"));
        Assert.Equal(2, await host.Database.CountAsync("SELECT count(DISTINCT owner) FROM job_steps"));
        var starts = await StartsAsync(host.Database);
        var lastHigh = priorities.Where(p => p.Value == "high").Max(p => starts[p.Key]);
        var firstLow = priorities.Where(p => p.Value == "low").Min(p => starts[p.Key]);
        var lastDefault = priorities.Where(p => p.Value == "default").Max(p => starts[p.Key]);
        Assert.True(lastHigh <= firstLow, "every high priority job started before any low priority one");
        Assert.True(lastDefault <= firstLow, "every default priority job started before any low priority one");
    }

    private static async Task<Dictionary<string, string>> StepOwnersAsync(TestDatabase db, Guid compositionId)
    {
        await using var command = db.DataSource.CreateCommand("SELECT s.step, s.owner FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = @id");
        command.Parameters.AddWithValue("id", compositionId);
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new Dictionary<string, string>();
        while (await reader.ReadAsync()) owners[reader.GetString(0)] = reader.GetString(1);
        return owners;
    }

    private static async Task<Dictionary<Guid, DateTime>> StartsAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT composition_id, started_at FROM jobs");
        await using var reader = await command.ExecuteReaderAsync();
        var starts = new Dictionary<Guid, DateTime>();
        while (await reader.ReadAsync()) starts[reader.GetGuid(0)] = reader.GetDateTime(1);
        return starts;
    }
}
