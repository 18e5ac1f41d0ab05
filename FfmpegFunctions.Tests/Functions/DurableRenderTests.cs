extern alias functions;
using FfmpegFunctions.Core.Security;

using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using System.Text.Json;
using functions::FfmpegFunctions.Functions.Http;
using functions::FfmpegFunctions.Functions.Dispatch;
using functions::FfmpegFunctions.Functions.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// The Functions app's orchestrator and activities on the real Durable Task engine, against the real
/// PostgreSQL, Redis, S3 emulator and ffmpeg. Compositions are created through the app's CreateComposition
/// function, so the dispatcher starts them as it does in Azure.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class DurableRenderTests(PipelineMedia media)
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ACreatedCompositionCompletesOnTheDurableEngineWithAPlayableOutput()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Clip);

        var id = await host.CreateAsync(Specs.Simple(key));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        var instance = await host.Client.WaitForInstanceCompletionAsync(id.ToString("D"), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(CompositionStatus.Completed, instance.ReadOutputAs<RenderOutcome>()!.Status);
        var output = Path.Combine(host.WorkRoot, "download.mp4");
        await host.Objects.DownloadToFileAsync(StorageKeys.Output(id, OutputFormat.Mp4), output, CancellationToken.None);
        var probed = FfprobeReader.Read(output);
        Assert.Equal(320, probed.Width);
        Assert.Equal(180, probed.Height);
        Assert.InRange(probed.Duration, 1.8, 2.2);
        Assert.True(probed.HasAudio);
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'completed'"));
        // Every step recorded its times, once, for GET /api/compositions/{id}/steps.
        var http = FunctionsAppHost.Admitted(host.NewHttpContext("GET", $"/api/compositions/{id}/steps"));
        var (status, body) = await FunctionsAppHost.ExecuteAsync(http, await host.Create<CompositionsFunctions>().StepsAsync(http.Request, id.ToString(), CancellationToken.None));
        Assert.Equal(200, status);
        using var steps = JsonDocument.Parse(body);
        Assert.Equal([StepNames.MarkProcessing, StepNames.ProbeInputs, StepNames.Plan, StepNames.Render, StepNames.Publish, StepNames.MarkCompleted],
            steps.RootElement.EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.All(steps.RootElement.EnumerateArray(), s => Assert.Equal(1, s.GetProperty("attempt").GetInt32()));
    }

    [Fact]
    public async Task ATransientStepFailureIsRetriedAndCountedAsAnAttempt()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        host.Objects.FailOnce = (op, k) => op == nameof(IObjectStore.UploadFileAsync) && k.StartsWith("temp/", StringComparison.Ordinal)
            ? new IOException("connection reset by the storage service") : null;

        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.True(host.Objects.Failed.Task.IsCompleted);
        Assert.Equal(2, host.RunsOf("first", StepNames.Render));
        Assert.Equal(1, host.RunsOf("first", StepNames.ProbeInputs));
        Assert.Equal(2, view.GetProperty("attempts").GetInt32());
        Assert.Equal(2, await host.Database.CountAsync($"SELECT s.attempt FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Render'"));
    }

    [Fact]
    public async Task ATimeoutStyleCancellationOfAStepIsRetriedNotFinal()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        // What an S3 or HTTP client timeout throws: an OperationCanceledException nobody asked for.
        host.Objects.FailOnce = (op, k) => op == nameof(IObjectStore.DownloadToFileAsync) && k == key
            ? new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.") : null;

        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(2, host.RunsOf("first", StepNames.ProbeInputs));
        Assert.Equal(0, host.RunsOf("first", StepNames.MarkFailed));
        Assert.Equal(2, view.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task APermanentStepFailureGoesToMarkFailedWithTheStepsOwnMessage()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var missing = StorageKeys.Input(Guid.NewGuid(), "missing.mp4");

        var id = await host.CreateAsync(Specs.Simple(missing));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Equal($"/clips/0/source: The input object '{missing}' does not exist in storage.", view.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("/clips/0/source", view.GetProperty("error").GetProperty("pointer").GetString());
        Assert.Equal(1, host.RunsOf("first", StepNames.ProbeInputs)); // not retried
        Assert.Equal(1, host.RunsOf("first", StepNames.MarkFailed));
        Assert.Equal(0, host.RunsOf("first", StepNames.Render));
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        var instance = await host.Client.WaitForInstanceCompletionAsync(id.ToString("D"), getInputsAndOutputs: true);
        Assert.Equal(CompositionStatus.Failed, instance.ReadOutputAs<RenderOutcome>()!.Status);
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'failed'"));
    }

    [Fact]
    public async Task CancellingMidRenderStopsFfmpegPromptlyAndUploadsNothingAfter()
    {
        var logs = new CapturedLogs();
        await using var host = await FunctionsAppHost.StartAsync(logs: logs);
        var id = await StartLongRenderAsync(host);
        Assert.NotEmpty(FailureTests.FfmpegProcessesUnder(host.WorkRoot));

        var stopwatch = Stopwatch.StartNew();
        var (status, _) = await host.CancelAsync(id);
        Assert.Equal(202, status);
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0, TimeSpan.FromSeconds(10), "ffmpeg to stop");
        var stoppedAfter = stopwatch.Elapsed;
        await Eventually.BecomesAsync(() => Task.FromResult(host.Returned.GetValueOrDefault(StepNames.Render)), n => n == 1, TimeSpan.FromSeconds(10), "the Render activity to return");

        Assert.True(stoppedAfter < StopBound.Loaded, $"ffmpeg stopped after {stoppedAfter}");
        Assert.Equal("cancelled", (await host.GetAsync(id)).GetProperty("status").GetString());
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Equal(0, host.RunsOf("first", StepNames.Publish));
        Assert.Equal(0, host.RunsOf("first", StepNames.MarkFailed));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'cancelled'"));
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.GetInstanceAsync(id.ToString("D")))!.RuntimeStatus);
        // An expected outcome, logged as one: no error or warning about the stop.
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("stopped: the composition was cancelled", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("FfmpegFunctions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletingMidRenderStopsFfmpegPromptlyAndLeavesNoObjects()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var id = await StartLongRenderAsync(host);

        var stopwatch = Stopwatch.StartNew();
        var http = FunctionsAppHost.Admitted(host.NewHttpContext("DELETE", $"/api/compositions/{id}"));
        var (status, _) = await FunctionsAppHost.ExecuteAsync(http, await host.Create<CompositionsFunctions>().DeleteAsync(http.Request, host.Client, id.ToString(), CancellationToken.None));
        Assert.Equal(204, status);
        await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0, TimeSpan.FromSeconds(10), "ffmpeg to stop");
        var stoppedAfter = stopwatch.Elapsed;
        await Eventually.BecomesAsync(() => Task.FromResult(host.Returned.GetValueOrDefault(StepNames.Render)), n => n == 1, TimeSpan.FromSeconds(10), "the Render activity to return");

        Assert.True(stoppedAfter < StopBound.Loaded, $"ffmpeg stopped after {stoppedAfter}");
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Equal(0, host.RunsOf("first", StepNames.MarkFailed));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM compositions WHERE id = '{id}' AND status = 'deleted'"));
    }

    [Fact]
    public async Task AStepScheduledBeforeACancelEndsAsStoppedAndIsLoggedAsAnExpectedOutcome()
    {
        var logs = new CapturedLogs();
        await using var host = await FunctionsAppHost.StartAsync(logs: logs);
        var id = Guid.CreateVersion7();
        var spec = SpecParser.Parse(JsonSerializer.SerializeToUtf8Bytes(Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4"))).Spec!;
        var store = host.Services.GetRequiredService<CompositionStore>();
        await store.CreateAsync(id, spec, null, [], JobOrigin.None, Tenants.Default, CancellationToken.None);
        await store.CancelAsync(id, Tenants.Default, CancellationToken.None);

        // What Durable does with an activity it had already scheduled when the cancel came: it still runs it.
        var result = await host.Create<RenderFunctions>().ProbeInputsAsync(new RenderInput(id, id.ToString("D")), CancellationToken.None);

        Assert.Equal("cancelled", result.StoppedAs);
        Assert.Null(result.Value);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message == $"Step ProbeInputs of composition {id} stopped: the composition was cancelled");
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task AWorkerRestartMidOrchestrationResumesFromHistoryWithoutRerunningCompletedSteps()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        // The first Render attempt fails; while its retry waits on a durable timer, the worker goes away.
        host.Objects.FailOnce = (op, k) => op == nameof(IObjectStore.UploadFileAsync) && k.StartsWith("temp/", StringComparison.Ordinal)
            ? new IOException("connection reset by the storage service") : null;

        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));
        await host.Objects.Failed.Task.WaitAsync(RenderTimeout);
        var failedAt = DateTimeOffset.UtcNow;
        // Restart once the engine has the failure and the orchestrator has reacted to it (started its retry timer):
        // a worker stopped before it reported the activity's result would lose the result, not test the resume.
        await Eventually.BecomesAsync(() => host.Client.GetInstanceAsync(id.ToString("D")),
            i => i is not null && i.LastUpdatedAt > failedAt, TimeSpan.FromSeconds(30), "the orchestrator to see the failed attempt");
        await host.RestartWorkerAsync("second");
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        foreach (var step in new[] { StepNames.MarkProcessing, StepNames.ProbeInputs, StepNames.Plan })
        {
            Assert.Equal(1, host.RunsOf("first", step));
            Assert.Equal(0, host.RunsOf("second", step)); // replayed from history, not run again
        }
        Assert.Equal(1, host.RunsOf("first", StepNames.Render));
        Assert.Equal(1, host.RunsOf("second", StepNames.Render));
        Assert.Equal(1, host.RunsOf("second", StepNames.Publish));
        Assert.Equal(1, host.RunsOf("second", StepNames.MarkCompleted));
        Assert.Equal(2, view.GetProperty("attempts").GetInt32());
    }

    /// <summary>A 4 s source upscaled to 720p with x264 "slow": long enough to interrupt. Waits until ffmpeg is encoding.</summary>
    internal async Task<Guid> StartLongRenderAsync(FunctionsAppHost host)
    {
        var key = await host.UploadInputAsync(media.Long);
        var id = await host.CreateAsync(Specs.Simple(key, width: 1280, height: 720, preset: "slow"));
        await Eventually.BecomesAsync(() => host.GetAsync(id),
            c => c.GetProperty("currentStep").GetString() == "Render" && c.GetProperty("progress").GetDouble() > 0,
            TimeSpan.FromSeconds(60), "the render to be under way");
        return id;
    }
}
