extern alias functions;
using FfmpegFunctions.Core.Security;

using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Dispatch;
using functions::FfmpegFunctions.Functions.Workflow;
using Grpc.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>The Functions host's scheduling: the jobs table is the queue, the dispatcher starts from it.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class DispatchTests(PipelineMedia media)
{
    [Fact]
    public async Task HighPriorityRendersStartBeforeDefaultAndLowOnesWithinTheConcurrencyLimit()
    {
        await using var host = await FunctionsAppHost.StartAsync(new Dictionary<string, string?> { ["Dispatch:MaxConcurrentRenders"] = "1" });
        var key = await host.UploadInputAsync(media.Tiny);
        var store = host.Services.GetRequiredService<CompositionStore>();
        var priorities = new Dictionary<Guid, string>();
        // Stored in arrival order low, default, high (twice), before any dispatch, as a burst would be.
        foreach (var priority in new[] { "low", "default", "high", "low", "default", "high" })
        {
            var spec = SpecParser.Parse(JsonSerializer.SerializeToUtf8Bytes(Specs.Simple(key, width: 160, height: 90, priority: priority, preset: "ultrafast"))).Spec!;
            var id = Guid.CreateVersion7();
            await store.CreateAsync(id, spec, null, [], JobOrigin.None, Tenants.Default, CancellationToken.None);
            priorities[id] = priority;
        }

        var first = await host.Services.GetRequiredService<RenderDispatcher>().DispatchAsync(host.Client, CancellationToken.None);

        Assert.Equal("high", priorities[Assert.Single(first).CompositionId]); // one slot
        // Each render's last step frees the slot and starts the next: no timer needed.
        await Eventually.BecomesAsync(() => host.Database.CountAsync("SELECT count(*) FROM compositions WHERE status = 'completed'"),
            n => n == 6, TimeSpan.FromSeconds(120), "all six compositions to complete" + Environment.NewLine + host.Problems);
        var order = await StartOrderAsync(host.Database);
        Assert.Equal(["high", "high", "default", "default", "low", "low"], order.Select(id => priorities[id]));
        Assert.Equal(6, await host.Database.CountAsync("SELECT count(*) FROM jobs WHERE status = 'completed' AND attempts = 1"));
        // Never two at once: each render started after the previous one's last step.
        Assert.Equal(0, await host.Database.CountAsync("""
            SELECT count(*) FROM jobs a JOIN jobs b ON a.id <> b.id
            JOIN job_steps done ON done.job_id = a.id AND done.step = 'MarkCompleted'
            WHERE b.started_at > a.started_at AND b.started_at < done.started_at
            """));
    }

    [Fact]
    public async Task ACreateWhoseOrchestrationStartFailsStaysQueuedAndTheTimerStartsIt()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        // The Durable backend is unreachable while the create runs.
        var unreachable = new Mock<DurableTaskClient>("unreachable");
        unreachable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.")));

        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90), unreachable.Object);

        Assert.Equal("queued", (await host.GetAsync(id)).GetProperty("status").GetString());
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'queued'"));
        Assert.Null(await host.Client.GetInstanceAsync(id.ToString("D")));

        await host.Create<DispatchFunctions>().RunAsync(new TimerInfo(), host.Client, CancellationToken.None);
        var view = await host.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task StartingTheSameCompositionTwiceRunsOneOrchestration()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));

        // A second start of the same instance id (a lost commit, a replayed kick) is a no-op.
        await host.Services.GetRequiredService<RenderDispatcher>().Scheduler(host.Client).ScheduleAsync(id, CancellationToken.None);
        var view = await host.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(1, host.RunsOf("first", Core.Workflow.StepNames.MarkProcessing));
    }

    [Fact]
    public async Task AJobLeftProcessingWithoutAnOrchestrationIsStartedAgain()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        var id = await StoreAsync(host, Specs.Simple(key, width: 160, height: 90));
        // Marked processing, but its orchestration never came to be (or its task hub was reset).
        await host.Database.CountAsync($"UPDATE jobs SET status = 'processing', attempts = 1, updated_at = now() - interval '1 hour' WHERE composition_id = '{id}' RETURNING 1");

        await host.Create<DispatchFunctions>().RunAsync(new TimerInfo(), host.Client, CancellationToken.None);
        var view = await host.WaitForStatusAsync(id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AJobWhoseOrchestrationEndedWithoutFinishingIsMarkedFailed()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var id = await StoreAsync(host, Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4"));
        // An orchestration that fails on its own (no such orchestrator here), leaving the job processing.
        await host.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", null, new StartOrchestrationOptions(id.ToString("D")));
        await host.Client.WaitForInstanceCompletionAsync(id.ToString("D"));
        await host.Database.CountAsync($"UPDATE jobs SET status = 'processing', attempts = 1, updated_at = now() - interval '1 hour' WHERE composition_id = '{id}' RETURNING 1");

        await host.Create<DispatchFunctions>().RunAsync(new TimerInfo(), host.Client, CancellationToken.None);
        var view = await host.GetAsync(id);

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Equal("The render orchestration ended Failed without finishing the composition.", view.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'failed'"));
    }

    private static async Task<Guid> StoreAsync(FunctionsAppHost host, object spec)
    {
        var id = Guid.CreateVersion7();
        await host.Services.GetRequiredService<CompositionStore>().CreateAsync(id, SpecParser.Parse(JsonSerializer.SerializeToUtf8Bytes(spec)).Spec!, null, [], JobOrigin.None, Tenants.Default, CancellationToken.None);
        return id;
    }

    private static async Task<List<Guid>> StartOrderAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT composition_id FROM jobs ORDER BY started_at");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
