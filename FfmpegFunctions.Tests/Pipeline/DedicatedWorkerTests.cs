using FfmpegFunctions.Server.Workflow;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>Workflow:Priorities: an instance kept for high-priority renders beside one that takes everything.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class DedicatedWorkerTests(PipelineMedia media)
{
    [Fact]
    public async Task HighJobsStartWhileTheGeneralWorkerIsBusyWithALowOneAndEveryJobRunsExactlyOnce()
    {
        await using var host = await PipelineHost.CreateAsync();
        var general = host.Start(engine: true, instanceId: "general", slots: 1);
        var urgent = host.Start(engine: true, instanceId: "urgent", slots: 2, extra: new Dictionary<string, string?> { ["Workflow:Priorities"] = "high" });
        using var client = general.CreateClient();

        // The general worker's only slot is taken by a long low-priority render...
        var longKey = await host.UploadInputAsync(general, media.Long);
        var tinyKey = await host.UploadInputAsync(general, media.Tiny);
        var busy = await PipelineHost.CreateAsync(client, Specs.Simple(longKey, width: 1280, height: 720, preset: "slow", priority: "low"));
        await Eventually.BecomesAsync(() => PipelineHost.GetAsync(client, busy), c => c.GetProperty("currentStep").GetString() == "Render",
            TimeSpan.FromSeconds(60), "the low render to be under way");
        // ...more low ones queue behind it, then urgent ones arrive.
        List<Guid> low = [busy, await PipelineHost.CreateAsync(client, Specs.Simple(tinyKey, priority: "low")), await PipelineHost.CreateAsync(client, Specs.Simple(tinyKey, priority: "low"))];
        List<Guid> high = [await PipelineHost.CreateAsync(client, Specs.Simple(tinyKey, priority: "high")), await PipelineHost.CreateAsync(client, Specs.Simple(tinyKey, priority: "high"))];

        foreach (var id in high.Concat(low))
        {
            var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(180), "completed", "failed");
            Assert.Equal("completed", view.GetProperty("status").GetString()); // nobody starves: the low ones finish too
            Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        }

        var highs = string.Join(",", high.Select(id => $"'{id}'"));
        var lows = string.Join(",", low.Select(id => $"'{id}'"));
        // High jobs did not wait for the running low render, nor behind the queued low ones.
        Assert.Equal(0, await host.Database.CountAsync($"""
            SELECT count(*) FROM jobs h, compositions b
            WHERE h.composition_id IN ({highs}) AND b.id = '{busy}' AND h.started_at >= b.completed_at
            """));
        Assert.Equal(0, await host.Database.CountAsync($"""
            SELECT count(*) FROM jobs h, jobs l
            WHERE h.composition_id IN ({highs}) AND l.composition_id IN ({lows}) AND l.composition_id <> '{busy}' AND h.started_at >= l.started_at
            """));
        // Exactly once: every job's steps were all checkpointed by one instance, and the high-only one never ran a low job.
        Assert.Equal(5, await host.Database.CountAsync("SELECT count(*) FROM (SELECT job_id FROM job_steps GROUP BY job_id HAVING count(DISTINCT owner) = 1) one_owner"));
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id IN ({lows}) AND s.owner = 'urgent'"));
        Assert.Equal(2, await host.Database.CountAsync($"SELECT count(DISTINCT s.job_id) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id IN ({highs}) AND s.owner = 'urgent'"));
    }

    [Theory]
    [InlineData("all", null)]
    [InlineData("high", new short[] { 0 })]
    [InlineData("low, HIGH,high", new short[] { 0, 2 })]
    [InlineData("default,low", new short[] { 1, 2 })]
    public void PrioritiesAreReadAsStoredCodes(string setting, short[]? expected) =>
        Assert.Equal(expected, WorkflowEngineOptions.ParsePriorities(setting));

    [Theory]
    [InlineData("urgent")]
    [InlineData("0")]
    [InlineData(" , ")]
    [InlineData("all,high")]
    public void AnUnknownPriorityStopsTheStartNamingTheSetting(string setting)
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var factory = new ServerFactory(new Dictionary<string, string?> { ["Workflow:Priorities"] = setting });
            _ = factory.Services;
        });
        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains("'Workflow:Priorities'", validation.Message, StringComparison.Ordinal);
    }
}
