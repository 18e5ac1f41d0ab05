extern alias functions;

using System.Diagnostics;
using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Rendering.Planning;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Http;
using Microsoft.DurableTask.Client;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// Segment-parallel renders on the real Durable Task engine: the orchestrator fans out one RenderSegment activity
/// per window (Task.WhenAll) beside RenderAudio, then calls Join. With Render:SegmentSeconds at 2 the 7.5 s
/// two-clip timeline (4 s + 4 s, a 0.5 s fade, a caption across it) is four segments.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class DurableSegmentTests(PipelineMedia media)
{
    private static readonly Dictionary<string, string?> Segmented = new() { ["Render:SegmentSeconds"] = "2" };
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TheOrchestratorFansOutSegmentActivitiesAndJoinsThemIntoTheSinglePassFrameCount()
    {
        await using var host = await FunctionsAppHost.StartAsync(Segmented);
        var key = await host.UploadInputAsync(media.Long);

        var id = await host.CreateAsync(Specs.Segmented(key, key));
        var progress = new List<double>();
        var view = await Eventually.BecomesAsync(async () =>
        {
            var current = await host.GetAsync(id);
            progress.Add(current.GetProperty("progress").GetDouble());
            return current;
        }, c => c.GetProperty("status").GetString() is "completed" or "failed", RenderTimeout, "the segmented render to end");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(100, progress[^1]);
        var instance = await host.Client.WaitForInstanceCompletionAsync(id.ToString("D"), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(4, host.RunsOf("first", StepNames.RenderSegment));
        Assert.Equal(1, host.RunsOf("first", StepNames.RenderAudio));
        Assert.Equal(1, host.RunsOf("first", StepNames.Join));
        Assert.Equal(0, host.RunsOf("first", StepNames.Render));
        // Each segment is a step of its own in GET /steps, with its own times.
        var http = FunctionsAppHost.Admitted(host.NewHttpContext("GET", $"/api/compositions/{id}/steps"));
        var (status, body) = await FunctionsAppHost.ExecuteAsync(http, await host.Create<CompositionsFunctions>().StepsAsync(http.Request, id.ToString(), CancellationToken.None));
        Assert.Equal(200, status);
        using var steps = JsonDocument.Parse(body);
        Assert.Equal(
            ["Join", "MarkCompleted", "MarkProcessing", "Plan", "ProbeInputs", "Publish", "RenderAudio", "RenderSegment/0", "RenderSegment/1", "RenderSegment/2", "RenderSegment/3"],
            steps.RootElement.EnumerateArray().Select(s => s.GetProperty("step").GetString()).Order(StringComparer.Ordinal));

        var output = Path.Combine(host.WorkRoot, "segmented.mp4");
        await host.Objects.DownloadToFileAsync(StorageKeys.Output(id, OutputFormat.Mp4), output, CancellationToken.None);
        Assert.Equal(187, StreamFacts.VideoFrames(output)); // the single pass's count (SegmentedEngineTests renders both)
        var video = StreamFacts.Timing(output, "v");
        var audio = StreamFacts.Timing(output, "a");
        Assert.InRange(Math.Abs(video.Start + video.Duration - (audio.Start + audio.Duration)), 0, 1 / 25.0);
        File.Delete(output);
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM render_plans WHERE composition_id = '{id}'"));
        Assert.Empty(host.LocalFiles());
        // The history carries keys and counts, not the probed media or the windows (those are in render_plans).
        Assert.True(instance.SerializedInput!.Length < 200, instance.SerializedInput);
    }

    [Fact]
    public async Task AFailedSegmentActivityIsRetriedAloneAndNothingElseRunsTwice()
    {
        await using var host = await FunctionsAppHost.StartAsync(Segmented);
        var key = await host.UploadInputAsync(media.Long);
        host.Objects.FailOnce = (op, k) => op == nameof(IObjectStore.UploadFileAsync) && k.EndsWith("/segments/0002.mp4", StringComparison.Ordinal)
            ? new IOException("connection reset by the storage service") : null;

        var id = await host.CreateAsync(Specs.Segmented(key, key));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.True(host.Objects.Failed.Task.IsCompleted);
        Assert.Equal(5, host.RunsOf("first", StepNames.RenderSegment));
        foreach (var step in new[] { StepNames.ProbeInputs, StepNames.Plan, StepNames.RenderAudio, StepNames.Join, StepNames.Publish })
            Assert.Equal(1, host.RunsOf("first", step));
        Assert.Equal(2, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'RenderSegment/2'"));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'RenderSegment/1'"));
    }

    [Fact]
    public async Task CancellingStopsEveryRunningSegmentActivityPromptly()
    {
        await using var host = await FunctionsAppHost.StartAsync(Segmented);
        var key = await host.UploadInputAsync(media.Long);
        var id = await host.CreateAsync(Specs.Segmented(key, key, width: 1280, height: 720, preset: "slow"));
        // Two activities encode at once (a worker runs two, as host.json's maxConcurrentActivityFunctions allows).
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n >= 2,
            TimeSpan.FromSeconds(60), "segments to be rendering");

        var stopwatch = Stopwatch.StartNew();
        var (status, _) = await host.CancelAsync(id);
        Assert.Equal(202, status);
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0,
            TimeSpan.FromSeconds(10), "every ffmpeg to stop");
        var stoppedAfter = stopwatch.Elapsed;

        Assert.True(stoppedAfter < StopBound.Loaded, $"the segments stopped after {stoppedAfter}");
        Assert.Equal("cancelled", (await host.GetAsync(id)).GetProperty("status").GetString());
        await Eventually.BecomesAsync(() => host.Objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None),
            o => o.Count == 0, TimeSpan.FromSeconds(10), "temp/ to be emptied");
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Equal(0, host.RunsOf("first", StepNames.Join));
        Assert.Equal(0, host.RunsOf("first", StepNames.MarkFailed));
    }
}
