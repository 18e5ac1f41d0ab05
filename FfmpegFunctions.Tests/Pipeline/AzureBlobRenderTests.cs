using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>The whole render with Azure Blob Storage (Azurite) as the object store: inputs, parts, output and links.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class AzureBlobRenderTests(PipelineMedia media)
{
    [Fact]
    public async Task ACompositionRendersToBlobStorageAndDownloadsThroughItsSasLink()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, extra: await StorageProviders.AzureBlobAsync());
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Clip);

        var id = await PipelineHost.CreateAsync(client, Specs.TwoClipsWithFade(key, key));

        var view = await Eventually.BecomesAsync(() => PipelineHost.GetAsync(client, id),
            c => c.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(90), "the render to end");
        Assert.Equal("completed", view.GetProperty("status").GetString());
        var links = JsonDocument.Parse(await client.GetStringAsync($"/api/compositions/{id}/download")).RootElement;
        var url = new Uri(links.GetProperty("url").GetString()!);
        Assert.Contains("sig=", url.Query, StringComparison.Ordinal); // a SAS link straight to the blob, not through the API
        Assert.Equal(StackSettings.AzuriteBlobPort, url.Port);

        using var download = new HttpClient();
        using var response = await download.GetAsync(url);
        response.EnsureSuccessStatusCode();
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        var file = Path.Combine(host.WorkRoot, "downloaded.mp4");
        Directory.CreateDirectory(host.WorkRoot);
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        var probed = FfprobeReader.Read(file);
        Assert.Equal("h264", probed.VideoCodec);
        Assert.Equal("aac", probed.AudioCodec);
        Assert.Equal((320, 180), (probed.Width, probed.Height));
        Assert.Equal(3.5, probed.Duration, 0.05);
        Assert.Equal(view.GetProperty("output").GetProperty("sizeBytes").GetInt64(), new FileInfo(file).Length);
    }
}
