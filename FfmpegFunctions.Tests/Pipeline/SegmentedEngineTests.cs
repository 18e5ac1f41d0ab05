using System.Diagnostics;
using System.Net;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Rendering.Planning;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>
/// Segment-parallel renders on the Server's engine: with Render:SegmentSeconds at 2, the 7.5 s two-clip timeline
/// (4 s + 4 s with a 0.5 s fade, a caption across it) becomes four segments that any instance claims.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class SegmentedEngineTests(PipelineMedia media)
{
    private static readonly Dictionary<string, string?> Segmented = new() { ["Render:SegmentSeconds"] = "2" };

    [Fact]
    public async Task TwoInstancesRenderTheSegmentsOfOneCompositionTogetherIntoTheSinglePassFrameCount()
    {
        await using var host = await PipelineHost.CreateAsync();
        // The same spec in one pass first (Render:SegmentSeconds 0 never splits), for its frame count.
        var single = host.Start(engine: true, instanceId: "single", extra: new Dictionary<string, string?> { ["Render:SegmentSeconds"] = "0" });
        var key = await host.UploadInputAsync(single, media.Long);
        var spec = Specs.Segmented(key, key, width: 640, height: 360, preset: "medium");
        long singlePassFrames;
        using (var singleClient = single.CreateClient())
        {
            var reference = await PipelineHost.CreateAsync(singleClient, spec);
            Assert.Equal("completed", (await PipelineHost.WaitForStatusAsync(singleClient, reference, TimeSpan.FromSeconds(60), "completed", "failed")).GetProperty("status").GetString());
            singlePassFrames = await FramesOfOutputAsync(host, single, reference);
        }
        await host.StopAsync(single);
        var a = host.Start(engine: true, instanceId: "a", extra: Segmented);
        host.Start(engine: true, instanceId: "b", extra: Segmented);
        using var client = a.CreateClient();

        var id = await PipelineHost.CreateAsync(client, spec);
        var progress = new List<double>();
        var view = await Eventually.BecomesAsync(async () =>
        {
            var current = await PipelineHost.GetAsync(client, id);
            progress.Add(current.GetProperty("progress").GetDouble());
            return current;
        }, c => c.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(120), "the segmented render to end");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        Assert.Equal(progress.Order(), progress); // the parts' sum never goes back, whichever instance reports
        Assert.Contains(progress, p => p is > 0 and < 100);
        Assert.Equal(100, progress[^1]);
        var jobId = await JobIdAsync(host, id);
        // The composition is marked completed by the last step, whose checkpoint and the job's end follow.
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE id = '{jobId}' AND status = 'completed'"),
            n => n == 1, TimeSpan.FromSeconds(10), "the engine to finish the job");
        Assert.Equal(4, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'completed' AND attempts = 1 AND owner IS NOT NULL"));
        Assert.Equal(2, await host.Database.CountAsync($"SELECT count(DISTINCT owner) FROM job_tasks WHERE job_id = '{jobId}'"));
        Assert.Equal(["Join", "MarkCompleted", "MarkProcessing", "Plan", "ProbeInputs", "Publish", "RenderAudio", "RenderSegment"], await StepsAsync(host, jobId));

        var output = Path.Combine(host.WorkRoot, "segmented.mp4");
        var objects = a.Services.GetRequiredService<IObjectStore>();
        await objects.DownloadToFileAsync(StorageKeys.Output(id, OutputFormat.Mp4), output, CancellationToken.None);
        // The seam tests compare the frames themselves; here: none dropped or duplicated at a join (7.5 s at 25 fps).
        Assert.Equal(187, singlePassFrames);
        Assert.Equal(singlePassFrames, StreamFacts.VideoFrames(output));
        var video = StreamFacts.Timing(output, "v");
        var audio = StreamFacts.Timing(output, "a");
        Assert.InRange(Math.Abs(video.Start + video.Duration - (audio.Start + audio.Duration)), 0, 1 / 25.0);
        Assert.Equal(640, FfprobeReader.Read(output).Width);
        File.Delete(output);

        // Storage: temp/{job}/ is gone, and so are the plan rows and every instance's local copies.
        Assert.Empty(await objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM render_plans WHERE composition_id = '{id}'"));
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM render_part_progress WHERE composition_id = '{id}'"));
        await Eventually.BecomesAsync(() => Task.FromResult(host.LocalFiles()), n => n.Count == 0, TimeSpan.FromSeconds(10), "both instances to remove their local copies");
    }

    [Fact]
    public async Task AFailedSegmentIsRetriedAloneAndTheJobKeepsItsOtherWork()
    {
        await using var host = await PipelineHost.CreateAsync();
        FaultyObjectStore? faulty = null;
        var instance = host.Start(engine: true, extra: Segmented, services: FaultyObjectStore.Install(s => faulty = s));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Long);
        faulty!.FailOnce = (op, k) => op == nameof(IObjectStore.UploadFileAsync) && k.EndsWith("/segments/0002.mp4", StringComparison.Ordinal)
            ? new IOException("connection reset by the storage service") : null;

        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(key, key));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(90), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.True(faulty.Failed.Task.IsCompleted);
        Assert.Equal(1, view.GetProperty("attempts").GetInt32()); // the job was not retried, only the segment
        var jobId = await JobIdAsync(host, id);
        Assert.Equal(2, await host.Database.CountAsync($"SELECT attempts FROM job_tasks WHERE job_id = '{jobId}' AND step = 'RenderSegment/2'"));
        Assert.Equal(3, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND step <> 'RenderSegment/2' AND attempts = 1"));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT attempt FROM job_steps WHERE job_id = '{jobId}' AND step = 'RenderAudio'"));
    }

    [Fact]
    public async Task AnInstanceThatGoesAwayMidFanOutLosesOnlyTheSegmentsItWasRendering()
    {
        await using var host = await PipelineHost.CreateAsync();
        var first = host.Start(engine: true, instanceId: "first", extra: Segmented);
        using var client = first.CreateClient();
        var key = await host.UploadInputAsync(first, media.Long);
        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(key, key, width: 1280, height: 720, preset: "slow"));
        var jobId = await JobIdAsync(host, id); // the job row is written with the composition
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'completed'"),
            n => n >= 1, TimeSpan.FromSeconds(90), "a first segment to be checkpointed");

        await host.StopAsync(first);
        var kept = await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'completed'");
        var second = host.Start(engine: true, instanceId: "second", extra: Segmented);
        using var client2 = second.CreateClient();
        var view = await PipelineHost.WaitForStatusAsync(client2, id, TimeSpan.FromSeconds(120), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        // What was checkpointed before the stop was not rendered again.
        Assert.Equal(kept, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND owner = 'first' AND attempts = 1"));
        Assert.Equal(4 - kept, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND owner = 'second'"));
        Assert.Equal(187, await FramesOfOutputAsync(host, second, id));
    }

    [Fact]
    public async Task CancellingStopsEverySegmentOnEveryInstancePromptlyAndLeavesNothing()
    {
        await using var host = await PipelineHost.CreateAsync();
        var a = host.Start(engine: true, instanceId: "a", extra: Segmented);
        host.Start(engine: true, instanceId: "b", extra: Segmented);
        using var client = a.CreateClient();
        var key = await host.UploadInputAsync(a, media.Long);
        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(key, key, width: 1280, height: 720, preset: "slow"));
        var jobId = await JobIdAsync(host, id); // the job row is written with the composition
        // The owner renders the audio and a segment, the other instance a segment: three ffmpegs at once.
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(DISTINCT owner) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'running'"),
            n => n == 2, TimeSpan.FromSeconds(60), "both instances to render a segment");
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n >= 2,
            TimeSpan.FromSeconds(30), "their ffmpegs to run");

        var stopwatch = Stopwatch.StartNew();
        using var cancel = await client.PostAsync($"/api/compositions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0,
            TimeSpan.FromSeconds(10), "every ffmpeg to stop");
        var stoppedAfter = stopwatch.Elapsed;

        Assert.True(stoppedAfter < StopBound.Loaded, $"the segments stopped after {stoppedAfter}");
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'cancelled'"),
            n => n == 1, TimeSpan.FromSeconds(10), "the job to be cancelled");
        Assert.Equal("cancelled", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
        // Segments nobody had claimed end with their job (they were left queued forever).
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'queued'"));
        Assert.True(await host.Database.CountAsync($"SELECT count(*) FROM job_tasks WHERE job_id = '{jobId}' AND status = 'cancelled'") > 0);
        var objects = a.Services.GetRequiredService<IObjectStore>();
        await Eventually.BecomesAsync(() => objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None),
            o => o.Count == 0, TimeSpan.FromSeconds(10), "temp/ to be emptied");
        Assert.Empty(await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        await Eventually.BecomesAsync(() => Task.FromResult(host.LocalFiles()), n => n.Count == 0, TimeSpan.FromSeconds(10), "both instances to remove their local copies");
    }

    [Fact]
    public async Task ASegmentOnAnotherMachineDownloadsOnlyTheInputsItsWindowReads()
    {
        await using var host = await PipelineHost.CreateAsync();
        var owner = host.Start(engine: false, extra: Segmented);
        using var client = owner.CreateClient();
        var first = await host.UploadInputAsync(owner, media.Long);
        var second = await host.UploadInputAsync(owner, media.Long);
        var id = await PipelineHost.CreateAsync(client, Specs.Segmented(first, second));
        // The owner's first steps, by hand (no engine runs here), on its disk.
        var input = new Core.Workflow.RenderInput(id, id.ToString("D"));
        var steps = owner.Services.GetRequiredService<Core.Workflow.Steps.StepHandlers>();
        var always = new Core.Workflow.Hosting.StepRun(Core.Workflow.Hosting.ClaimGuard.Always, 1, "by-hand", new Core.Workflow.Hosting.StepStop());
        await steps.MarkProcessing.RunAsync(input, always, CancellationToken.None);
        await steps.ProbeInputs.RunAsync(input, always, CancellationToken.None);
        Assert.Equal(4, (await steps.Plan.RunAsync(input, always, CancellationToken.None)).Segments);

        // Another machine: its own disk, nothing downloaded yet. Windows: [0, 47) and [47, 100) end with the fade into
        // the second clip, [100, 140) and [140, 187) lie in the second clip alone.
        var downloads = new List<string>();
        var helper = host.Start(engine: false, extra: new Dictionary<string, string?>(Segmented) { ["Render:WorkDirectory"] = Path.Combine(host.WorkRoot, "helper") },
            services: FaultyObjectStore.Install(s => s.Before = (op, key, _) =>
            {
                if (op == nameof(IObjectStore.DownloadToFileAsync)) lock (downloads) downloads.Add(key);
                return Task.CompletedTask;
            }));
        var helperSteps = helper.Services.GetRequiredService<Core.Workflow.Steps.StepHandlers>();

        await helperSteps.RenderSegment.RunAsync(new Core.Workflow.SegmentInput(input, 3), always, CancellationToken.None);
        Assert.Equal([second], downloads);
        await helperSteps.RenderSegment.RunAsync(new Core.Workflow.SegmentInput(input, 0), always, CancellationToken.None);
        Assert.Equal([second, first], downloads);
        await helperSteps.RenderSegment.RunAsync(new Core.Workflow.SegmentInput(input, 1), always, CancellationToken.None);
        Assert.Equal([second, first], downloads); // both already here
        await owner.Services.GetRequiredService<Core.Workflow.Steps.JobCleanup>().CleanupAsync(input, CancellationToken.None);
    }

    private static async Task<string> JobIdAsync(PipelineHost host, Guid compositionId)
    {
        await using var command = host.Database.DataSource.CreateCommand("SELECT id::text FROM jobs WHERE composition_id = @id");
        command.Parameters.AddWithValue("id", compositionId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> StepsAsync(PipelineHost host, string jobId)
    {
        await using var command = host.Database.DataSource.CreateCommand($"SELECT step FROM job_steps WHERE job_id = '{jobId}' ORDER BY step");
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new List<string>();
        while (await reader.ReadAsync()) steps.Add(reader.GetString(0));
        return steps;
    }

    private static async Task<long> FramesOfOutputAsync(PipelineHost host, ServerFactory instance, Guid id)
    {
        var output = Path.Combine(host.WorkRoot, $"{id:N}.mp4");
        await instance.Services.GetRequiredService<IObjectStore>().DownloadToFileAsync(StorageKeys.Output(id, OutputFormat.Mp4), output, CancellationToken.None);
        try { return StreamFacts.VideoFrames(output); }
        finally { File.Delete(output); }
    }
}
