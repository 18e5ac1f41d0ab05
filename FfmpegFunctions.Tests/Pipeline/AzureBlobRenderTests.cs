using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>The whole render with Azure Blob Storage (Azurite) as the object store: an upload through its SAS link, the render, the download through another.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class AzureBlobRenderTests(PipelineMedia media)
{
    [Fact]
    public async Task AnInputUploadedThroughASasLinkRendersAndTheOutputDownloadsThroughOne()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, extra: await StorageProviders.AzureBlobAsync());
        using var client = instance.CreateClient();
        // The input goes in as a client's would: an upload target from the API, then a PUT with exactly its headers.
        using var uploads = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "clip.mp4", contentType = "video/mp4" } } });
        uploads.EnsureSuccessStatusCode();
        var target = JsonDocument.Parse(await uploads.Content.ReadAsStringAsync()).RootElement.GetProperty("uploads")[0];
        var key = target.GetProperty("key").GetString()!;
        using var put = new HttpRequestMessage(HttpMethod.Put, target.GetProperty("url").GetString()) { Content = new ByteArrayContent(await File.ReadAllBytesAsync(media.Clip)) };
        foreach (var header in target.GetProperty("headers").EnumerateObject())
        {
            if (header.Name == "Content-Type") put.Content.Headers.ContentType = new(header.Value.GetString()!);
            else put.Headers.Add(header.Name, header.Value.GetString());
        }
        using (var blobClient = new HttpClient())
        using (var stored = await blobClient.SendAsync(put))
            Assert.True(stored.IsSuccessStatusCode, $"PUT answered {(int)stored.StatusCode}: {await stored.Content.ReadAsStringAsync()}");

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
