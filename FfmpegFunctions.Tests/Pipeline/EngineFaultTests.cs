using System.Net;
using System.Net.Http.Json;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Server.Workflow;
using FfmpegFunctions.Tests.Support;
using FfmpegFunctions.Tests.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>The engine under faults: a stuck lease renewal, failing progress writes and bookkeeping, a delete racing
/// Publish, transient storage errors. Each test fails on the code before issue 12's fixes.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class EngineFaultTests(PipelineMedia media)
{
    [Fact]
    public async Task ARenewalStuckOnALockStopsTheWorkerWithinTheLeaseAndOnlyOneInstancePublishes()
    {
        await using var host = await PipelineHost.CreateAsync();
        var logsA = new CapturedLogs();
        var a = host.Start(engine: true, instanceId: "a", logs: logsA);
        using var client = a.CreateClient();
        var id = await host.StartLongRenderAsync(a, client, media.Long);
        host.Start(engine: true, instanceId: "b");

        // A slow database, on purpose: the renewal (an UPDATE of the job row) waits for this lock.
        await using var locker = await host.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM jobs WHERE composition_id = '{id}' FOR UPDATE", locker, transaction))
            await lockRow.ExecuteScalarAsync();

        // The lease is 5 s: A must give up inside it, while nobody else can have claimed the job yet.
        await Eventually.BecomesAsync(() => Task.FromResult(logsA.Entries.Any(e => e.Message.Contains("Lost the lease", StringComparison.Ordinal))),
            lost => lost, TimeSpan.FromSeconds(5), "instance a to give up its lease while the renewal hangs");
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0,
            TimeSpan.FromSeconds(5), "instance a to stop its ffmpeg");
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Render'"));
        await transaction.RollbackAsync();

        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(120), "completed", "failed");
        Assert.Equal("completed", view.GetProperty("status").GetString());
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'completed'"),
            n => n == 1, TimeSpan.FromSeconds(10), "the job to be finished");
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'MarkCompleted'"));
        Assert.True(await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Render'") >= 2);
        var outputs = await a.Services.GetRequiredService<IObjectStore>().ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None);
        Assert.Equal(2, outputs.Count);
    }

    [Fact]
    public async Task AFailingProgressWriteIsLoggedAndNeitherFailsNorRetriesTheRender()
    {
        await using var host = await PipelineHost.CreateAsync();
        var logs = new CapturedLogs();
        var instance = host.Start(engine: true, logs: logs);
        using var client = instance.CreateClient();
        // A database that refuses exactly the progress writes of the Render step (a blip, or a lock timeout).
        await host.Database.CountAsync("""
            CREATE FUNCTION refuse_progress() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'progress refused by the test'; END $$;
            CREATE TRIGGER refuse_progress BEFORE UPDATE OF progress ON jobs FOR EACH ROW
                WHEN (NEW.current_step = 'Render' AND NEW.progress IS DISTINCT FROM OLD.progress) EXECUTE FUNCTION refuse_progress();
            SELECT 1
            """);
        var key = await host.UploadInputAsync(instance, media.Clip);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        Assert.Contains(logs.Entries, e => e.Message.Contains("Could not forward progress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedReleaseIsLoggedAndTheJobIsClaimedAgainWhenItsLeaseRunsOut()
    {
        await using var host = await PipelineHost.CreateAsync();
        var logs = new CapturedLogs();
        var downloads = 0;
        var instance = host.Start(engine: true, logs: logs, services: FaultyObjectStore.Install(s => s.Before = (op, key, _) =>
            op == nameof(IObjectStore.DownloadToFileAsync) && Interlocked.Increment(ref downloads) == 1
                ? throw new IOException("storage blip") : Task.CompletedTask));
        using var client = instance.CreateClient();
        // The first hand-back after that blip fails (the database refuses it once).
        await host.Database.CountAsync("""
            CREATE SEQUENCE release_faults;
            CREATE FUNCTION refuse_release() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF nextval('release_faults') = 1 THEN RAISE EXCEPTION 'release refused by the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_release BEFORE UPDATE ON jobs FOR EACH ROW
                WHEN (OLD.status = 'processing' AND NEW.status = 'queued') EXECUTE FUNCTION refuse_release();
            SELECT 1
            """);
        var key = await host.UploadInputAsync(instance, media.Tiny);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("'release'", StringComparison.Ordinal));
        var worker = instance.Services.GetRequiredService<WorkflowWorker>();
        await Eventually.BecomesAsync(() => Task.FromResult(worker.RunningCount), n => n == 0, TimeSpan.FromSeconds(10), "no job task left running");
    }

    [Fact]
    public async Task DeletingTheCompositionWhilePublishCopiesLeavesNoObjectsBehind()
    {
        await using var host = await PipelineHost.CreateAsync();
        var copying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var instance = host.Start(engine: true, services: FaultyObjectStore.Install(s => s.Before = async (op, key, _) =>
        {
            if (op != nameof(IObjectStore.CopyAsync) || !key.StartsWith("outputs/", StringComparison.Ordinal)) return;
            copying.TrySetResult();
            await release.Task; // the copy is in flight while the client deletes
        }));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90));
        await copying.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var deleted = await client.DeleteAsync($"/api/compositions/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        release.SetResult();

        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'cancelled'"),
            n => n == 1, TimeSpan.FromSeconds(20), "the job to stop");
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        Assert.Empty(await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Empty(await objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Equal("deleted", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task StorageFailingTransientlyDuringDownloadAndUploadIsRetriedWithBackoffAndTheRenderCompletes()
    {
        await using var host = await PipelineHost.CreateAsync();
        var logs = new CapturedLogs();
        int downloads = 0, uploads = 0;
        var instance = host.Start(engine: true, logs: logs, services: FaultyObjectStore.Install(s => s.Before = (op, key, _) =>
        {
            if (op == nameof(IObjectStore.DownloadToFileAsync) && Interlocked.Increment(ref downloads) == 1) throw new IOException("S3 said 503 Slow Down");
            if (op == nameof(IObjectStore.UploadFileAsync) && key.StartsWith("temp/", StringComparison.Ordinal) && Interlocked.Increment(ref uploads) == 1)
                throw new IOException("connection reset during upload");
            return Task.CompletedTask;
        }));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(3, view.GetProperty("attempts").GetInt32());
        Assert.Equal(2, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'ProbeInputs'"));
        Assert.Equal(3, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Render'"));
        // Backoff: base 100 ms doubling, each delay a random point in the upper half of its step.
        var delays = logs.Entries.Where(e => e.Message.Contains("will be retried", StringComparison.Ordinal))
            .Select(e => Convert.ToDouble(e.Fields["DelaySeconds"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, delays.Count);
        Assert.InRange(delays[0], 0.05, 0.1);
        Assert.InRange(delays[1], 0.1, 0.2);
    }

    [Fact]
    public async Task ATrimBeyondTheSourceFailsTheRenderNamingTheFieldAndTheSourcesRealLength()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Clip); // 2 s

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, trimEnd: 10));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        var error = view.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("/clips/0/trim/end:", error, StringComparison.Ordinal);
        Assert.Equal("/clips/0/trim/end", view.GetProperty("error").GetProperty("pointer").GetString());
        Assert.Matches(@"which is 2(\.\d+)? s long", error);
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AOneSecondClipWithoutAThumbnailRendersWhileAnExplicitThumbnailAtItsEndIsRejected()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny); // 1 s
        var output = new { width = 160, height = 90, fps = 25 };

        using var late = await client.PostAsJsonAsync("/api/compositions", new
        {
            output, clips = new[] { new { source = key, trim = new { start = 0.0, end = 1.0 } } }, thumbnail = new { time = 1.0 },
        });
        var id = await PipelineHost.CreateAsync(client, new { output, clips = new[] { new { source = key, trim = new { start = 0.0, end = 1.0 } } } });

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("/thumbnail/time", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");
        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.NotNull(await instance.Services.GetRequiredService<IObjectStore>().GetInfoAsync(StorageKeys.Thumbnail(id), CancellationToken.None));
    }
}

[Collection(nameof(PipelineCollection))]
public sealed class InputLimitTests(PipelineMedia media)
{
    [Fact]
    public async Task AnInputOverTheSizeLimitFailsNamingItBeforeAnyDownload()
    {
        await using var host = await PipelineHost.CreateAsync();
        var downloads = 0;
        var instance = host.Start(engine: true, extra: new Dictionary<string, string?> { ["Render:MaxInputBytes"] = "1000" },
            services: FaultyObjectStore.Install(s => s.Before = (op, _, _) =>
            {
                if (op == nameof(IObjectStore.DownloadToFileAsync)) Interlocked.Increment(ref downloads);
                return Task.CompletedTask;
            }));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Clip);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        var error = view.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.Contains("more than the 1000 allowed per input", error, StringComparison.Ordinal);
        Assert.Equal("/clips/0/source", view.GetProperty("error").GetProperty("pointer").GetString());
        Assert.Equal(0, downloads);
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task MoreInputsThanAllowedFailTheCompositionBeforeAnyDownload()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, extra: new Dictionary<string, string?> { ["Render:MaxInputs"] = "1" });
        using var client = instance.CreateClient();
        var first = await host.UploadInputAsync(instance, media.Tiny);
        var second = await host.UploadInputAsync(instance, media.Tiny);

        var id = await PipelineHost.CreateAsync(client, Specs.TwoClipsWithFade(first, second));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Contains("2 inputs, more than the 1 allowed", view.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
