using System.Diagnostics;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using OpenTelemetry.Trace;

namespace FfmpegFunctions.Tests.Tracing;

[Collection(nameof(PipelineCollection))]
public sealed class TracingTests(PipelineMedia media)
{
    [Fact]
    public async Task OneCompositionIsOneTraceFromTheRequestThroughEveryStepAndFfmpeg()
    {
        // Listeners are process-wide, so spans of other tests' servers land here too: everything is
        // selected through this composition's workflow span and its trace id.
        var exported = new List<Activity>();
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90));
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        var workflow = await Eventually.BecomesAsync(() => Task.FromResult(Snapshot(exported)
                .FirstOrDefault(a => a.DisplayName == "workflow RenderComposition" && Equals(a.GetTagItem("composition.id"), id.ToString("D")))),
            a => a is not null, TimeSpan.FromSeconds(10), "the workflow span to end");
        var trace = Snapshot(exported).Where(a => a.TraceId == workflow!.TraceId).ToList();
        var names = trace.Select(a => a.DisplayName).ToHashSet();

        var post = Assert.Single(trace, a => a.SpanId == workflow!.ParentSpanId);
        Assert.Equal(ActivityKind.Server, post.Kind);
        Assert.Equal("POST", post.GetTagItem("http.request.method"));

        string[] steps = ["MarkProcessing", "ProbeInputs", "Plan", "Render", "Publish", "MarkCompleted"];
        foreach (var step in steps) Assert.Contains("step " + step, names);
        Assert.All(trace.Where(a => a.DisplayName.StartsWith("step ", StringComparison.Ordinal)), s => Assert.Equal(workflow!.SpanId, s.ParentSpanId));

        var ffmpeg = trace.Single(a => a.DisplayName == "ffmpeg render");
        Assert.Equal(trace.Single(a => a.DisplayName == "step Render").SpanId, ffmpeg.ParentSpanId);
        Assert.True((double)ffmpeg.GetTagItem("media.duration_seconds")! > 0.5);
        Assert.True((long)ffmpeg.GetTagItem("output.size_bytes")! > 0);
        // Storage and PostgreSQL calls made by the steps are in the same trace.
        Assert.Contains(trace, a => a.DisplayName == "s3 upload");
        Assert.Contains(trace, a => a.Source.Name == "Npgsql");
    }

    /// <summary>The exporter appends from the SDK's export thread; copy until a copy is not torn by an append.</summary>
    private static List<Activity> Snapshot(List<Activity> exported)
    {
        while (true)
        {
            try { return [.. exported.ToArray().Where(a => a is not null)]; }
            catch (InvalidOperationException) { }
            catch (ArgumentException) { }
        }
    }
}
