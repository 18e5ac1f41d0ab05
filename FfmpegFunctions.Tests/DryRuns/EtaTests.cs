using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.DryRuns;

/// <summary>A composition that renders shows when it should end; one that waits or has ended shows none.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class EtaTests(PipelineMedia media)
{
    [Fact]
    public async Task ARenderingCompositionShowsAnEtaAheadOfNowAndAFinishedOneNone()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        // The 4 s source upscaled to 720p with x264 "slow": long enough to be seen under way.
        var key = await host.UploadInputAsync(instance, media.Long);
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 1280, height: 720, preset: "slow"));

        var view = await Eventually.BecomesAsync(() => PipelineHost.GetAsync(client, id),
            v => v.GetProperty("status").GetString() is not ("queued" or "processing") || v.GetProperty("eta").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(120), "an eta while it renders");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal("processing", view.GetProperty("status").GetString());
        Assert.True(view.GetProperty("eta").GetDateTimeOffset() >= before, view.GetRawText());
        using var cancel = await client.PostAsync($"/api/compositions/{id}/cancel", null);
        var ended = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "cancelled");
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("eta").ValueKind);
    }
}
