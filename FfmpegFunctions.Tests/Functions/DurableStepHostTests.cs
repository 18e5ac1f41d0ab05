extern alias functions;

using System.Diagnostics;
using System.Text.Json;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// What the Functions app gets from Core's step host that it once did its own way: the same cleanup after a stop as
/// the Server (outputs/ included), and the same retry settings, captured when the orchestration starts.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class DurableStepHostTests(PipelineMedia media)
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ACancelNoticedWhilePublishIsCopyingLeavesNothingUnderOutputs()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var key = await host.UploadInputAsync(media.Tiny);
        var id = Guid.Empty;
        var cancelled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The output is already under outputs/ when the client cancels; the step notices (its token is cancelled by the
        // stop poll) while the thumbnail's copy is in flight, and that copy lands anyway, as a sent request does.
        host.Objects.BeforeCopy = async (target, cancellationToken) =>
        {
            if (id == Guid.Empty || target != StorageKeys.Thumbnail(id) || cancelled.Task.IsCompleted) return;
            var (status, _) = await host.CancelAsync(id);
            cancelled.TrySetResult(status);
            try { await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken); }
            catch (OperationCanceledException) { }
        };

        id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));
        Assert.Equal(202, await cancelled.Task.WaitAsync(RenderTimeout));
        await Eventually.BecomesAsync(() => Task.FromResult(host.Returned.GetValueOrDefault(StepNames.Publish)), n => n >= 1, TimeSpan.FromSeconds(30), "Publish to return");

        Assert.Equal("cancelled", (await host.GetAsync(id)).GetProperty("status").GetString());
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Empty(await host.Objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Equal(0, host.RunsOf("first", StepNames.MarkCompleted));
    }

    [Fact]
    public async Task RetryDelaysFollowTheWorkflowSettingsCapturedInTheOrchestrationInput()
    {
        await using var host = await FunctionsAppHost.StartAsync(new Dictionary<string, string?>
        {
            ["Workflow:MaxAttempts"] = "3",
            ["Workflow:RetryBaseDelay"] = "00:00:00.050",
            ["Workflow:RetryMaxDelay"] = "00:00:00.200",
        });
        var key = await host.UploadInputAsync(media.Tiny);
        var failedAt = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        host.Objects.FailOnce = (op, k) => op == nameof(IObjectStore.UploadFileAsync) && k.StartsWith("temp/", StringComparison.Ordinal)
            ? new IOException("connection reset by the storage service") : null;
        _ = host.Objects.Failed.Task.ContinueWith(_ => failedAt = clock.Elapsed, TaskScheduler.Default);
        // The moment Durable starts Render again (the host counts each activity run as it begins).
        var retried = Task.Run(async () =>
        {
            while (host.RunsOf("first", StepNames.Render) < 2 && clock.Elapsed < RenderTimeout) await Task.Delay(10);
            return clock.Elapsed;
        });

        var id = await host.CreateAsync(Specs.Simple(key, width: 160, height: 90));
        var view = await host.WaitForStatusAsync(id, RenderTimeout, "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(2, host.RunsOf("first", StepNames.Render));
        // At most 50 ms by the settings; the fixed 5 s of old would be beyond. The rest is the engine's own latency,
        // which a loaded test machine stretches (hence the room below 5 s).
        var waited = await retried.WaitAsync(TimeSpan.FromSeconds(10)) - failedAt;
        Assert.True(waited < TimeSpan.FromSeconds(4), $"the retry came {waited} after the failure");

        var instance = await host.Client.GetInstanceAsync(id.ToString("D"), getInputsAndOutputs: true);
        using var input = JsonDocument.Parse(instance!.SerializedInput!);
        var retry = Property(input.RootElement, "retry");
        Assert.Equal(3, Property(retry, "maxAttempts").GetInt32());
        Assert.Equal(TimeSpan.FromMilliseconds(50), TimeSpan.Parse(Property(retry, "baseDelay").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        // Still ids and three numbers: the spec never travels in Durable history.
        Assert.True(instance.SerializedInput!.Length < 400, instance.SerializedInput);
    }

    // The Durable client's serializer decides the case of the names.
    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().Single(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
