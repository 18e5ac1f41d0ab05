using System.Net.Http.Json;
using System.Text.Json;
using System.Net;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Workflow.Steps;
using FfmpegFunctions.Server.Workflow;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Workflow;

/// <summary>Writes a job makes are fenced by its claim (owner and attempt), and a cancel never undoes a completion.</summary>
public sealed class ClaimFencingTests
{
    [Fact]
    public async Task AWorkerWhoseClaimWasTakenOverCannotWriteProgressCheckpointsOutputsOrCompletion()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var id = await PipelineHost.CreateAsync(client, Specs.Simple($"inputs/{Guid.NewGuid()}/a.mp4"));
        var queue = api.Services.GetRequiredService<JobQueue>();
        var jobs = api.Services.GetRequiredService<RenderJobStore>();
        var journal = api.Services.GetRequiredService<StepJournal>();
        var steps = api.Services.GetRequiredService<StepHandlers>();
        var objects = api.Services.GetRequiredService<IObjectStore>();
        const string instance = "stalled-then-back";

        var stale = (await queue.ClaimAsync(instance, TimeSpan.FromMinutes(1), 4, null, CancellationToken.None))!;
        // The first run stalls past its lease and the same instance claims the job again: only the attempt tells them apart.
        await host.Database.CountAsync($"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = '{stale.Id}' RETURNING 1");
        var current = (await queue.ClaimAsync(instance, TimeSpan.FromMinutes(1), 4, null, CancellationToken.None))!;
        Assert.Equal(stale.Id, current.Id);
        var staleFence = stale.Fence(instance).Guard();
        var render = new RenderInput(id, id.ToString("D"));
        var tempKey = StorageKeys.TempPrefix(render.JobId) + "final.mp4";
        var thumbKey = StorageKeys.TempPrefix(render.JobId) + "thumbnail.jpg";
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "not really media");
        await objects.UploadFileAsync(tempKey, file, "video/mp4", CancellationToken.None);
        await objects.UploadFileAsync(thumbKey, file, "image/jpeg", CancellationToken.None);
        File.Delete(file);
        var metadata = new OutputMetadata(1, 16, 320, 180, "mp4");

        Assert.False(await jobs.SetProgressAsync(id, 50, staleFence, CancellationToken.None));
        Assert.False(await journal.CompleteAsync(id, StepNames.Plan, "{}", Run(staleFence, stale), DateTimeOffset.UtcNow, CancellationToken.None));
        await Assert.ThrowsAsync<ClaimLostException>(() => steps.Publish.RunAsync(
            new PublishInput(render, new RenderedOutput(tempKey, thumbKey, metadata)), Run(staleFence, stale), CancellationToken.None));
        await Assert.ThrowsAsync<ClaimLostException>(() => steps.MarkCompleted.RunAsync(
            new CompleteInput(render, new PublishedOutput(StorageKeys.Output(id, OutputFormat.Mp4), StorageKeys.Thumbnail(id), metadata)), Run(staleFence, stale), CancellationToken.None));

        var view = await PipelineHost.GetAsync(client, id);
        Assert.Equal("queued", view.GetProperty("status").GetString());
        Assert.Equal(0, view.GetProperty("progress").GetDouble());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM job_steps"));
        Assert.Empty(await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));

        // The current claim's writes count.
        var fence = current.Fence(instance).Guard();
        Assert.True(await jobs.SetProgressAsync(id, 50, fence, CancellationToken.None));
        Assert.True(await journal.CompleteAsync(id, StepNames.Plan, "{}", Run(fence, current), DateTimeOffset.UtcNow, CancellationToken.None));
        await objects.DeletePrefixAsync(StorageKeys.TempPrefix(render.JobId), CancellationToken.None);
    }

    [Fact]
    public async Task ACompositionReadsCompletedOnlyWithItsMarkCompletedStepRecorded()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var id = await PipelineHost.CreateAsync(client, Specs.Simple($"inputs/{Guid.NewGuid()}/a.mp4"));
        var steps = api.Services.GetRequiredService<StepHandlers>();
        var published = new PublishedOutput(StorageKeys.Output(id, OutputFormat.Mp4), StorageKeys.Thumbnail(id), new OutputMetadata(1, 16, 320, 180, "mp4"));
        using var stop = new StepStop();

        // The step alone, without the host's own record after it: the moment a client could read in between.
        var ack = await steps.MarkCompleted.RunAsync(new CompleteInput(new RenderInput(id, id.ToString("D")), published),
            new StepRun(ClaimGuard.Always, 1, "the-worker", stop), CancellationToken.None);

        Assert.True(ack.Continue);
        Assert.Equal("completed", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
        var recorded = (await client.GetFromJsonAsync<JsonElement>($"/api/compositions/{id}/steps")).EnumerateArray()
            .Single(s => s.GetProperty("step").GetString() == StepNames.MarkCompleted);
        Assert.Equal(1, recorded.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task ACancelAfterTheCompositionCompletedChangesNothingAndAnswersConflict()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var id = await PipelineHost.CreateAsync(client, Specs.Simple($"inputs/{Guid.NewGuid()}/a.mp4"));
        // The moment of the race: MarkCompleted has written the composition, the worker has not finished its job yet.
        await host.Database.CountAsync($"UPDATE compositions SET status = 'completed', completed_at = now() WHERE id = '{id}' RETURNING 1");
        await host.Database.CountAsync($"UPDATE jobs SET status = 'processing', lease_owner = 'w', lease_expires_at = now() + interval '1 minute', attempts = 1 WHERE composition_id = '{id}' RETURNING 1");

        using var cancel = await client.PostAsync($"/api/compositions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND cancel_requested"));
        Assert.Equal("completed", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WorkflowMaxAttemptsDecidesWhenATransientFailureBecomesFinal()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, extra: new Dictionary<string, string?> { ["Workflow:MaxAttempts"] = "2" },
            services: FaultyObjectStore.Install(s => s.Before = (op, _, _) =>
                op == nameof(IObjectStore.DownloadToFileAsync) ? throw new IOException("storage is having a bad day") : Task.CompletedTask));
        using var client = instance.CreateClient();
        var file = Path.GetTempFileName();
        var key = await host.UploadInputAsync(instance, file); // there, but every download of it fails
        File.Delete(file);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Equal(2, view.GetProperty("attempts").GetInt32());
        Assert.Contains("gave up after 2 attempts", view.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND max_attempts = 2"));
    }

    [Fact]
    public void RetryDelaysBackOffExponentiallyWithJitterInTheUpperHalf()
    {
        var options = new WorkflowRetryOptions { MaxAttempts = 20, RetryBaseDelay = TimeSpan.FromSeconds(2), RetryMaxDelay = TimeSpan.FromSeconds(10) }.Policy;

        Assert.Equal(TimeSpan.FromSeconds(1), options.Delay(1, jitter: 0));
        Assert.InRange(options.Delay(2, jitter: 0.999999), TimeSpan.FromSeconds(3.999), TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(5), options.Delay(9, jitter: 0));
        Assert.Null(options.NextDelay(20, jitter: 0));
        var spread = Enumerable.Range(0, 50).Select(_ => options.Delay(3, Random.Shared.NextDouble())).ToList();
        Assert.All(spread, d => Assert.InRange(d, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)));
        Assert.True(spread.Distinct().Count() > 10, "delays of the same attempt are spread out");
    }

    private static StepRun Run(ClaimGuard guard, ClaimedJob job) => new(guard, job.Attempts, "stalled-then-back", new StepStop());
}
