using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Input;

/// <summary>A caption file goes the way a client sends it: presigned through the API, PUT to storage, rendered.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class CaptionUploadTests(PipelineMedia media)
{
    [Fact]
    public async Task AnSrtUploadedThroughTheApiRendersAsCaptions()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var clip = await host.UploadInputAsync(server, media.Clip);

        using var presigned = await client.PostAsJsonAsync("/api/uploads",
            new { files = new[] { new { fileName = "subs.srt", contentType = "text/plain; charset=utf-8" } } });
        Assert.True(presigned.StatusCode == HttpStatusCode.OK, await presigned.Content.ReadAsStringAsync());
        var upload = JsonDocument.Parse(await presigned.Content.ReadAsStringAsync()).RootElement.GetProperty("uploads")[0];
        using var storage = new HttpClient();
        using var srt = new ByteArrayContent(Encoding.UTF8.GetBytes("1\n00:00:00,200 --> 00:00:01,500\nHello from an upload\n"));
        srt.Headers.TryAddWithoutValidation("Content-Type", upload.GetProperty("headers").GetProperty("Content-Type").GetString());
        using var put = await storage.PutAsync(upload.GetProperty("url").GetString(), srt);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var id = await PipelineHost.CreateAsync(client, new
        {
            output = new { width = 320, height = 180, fps = 25, preset = "ultrafast" },
            clips = new object[] { new { source = clip, trim = new { start = 0, end = 1.6 } } },
            captions = new { source = upload.GetProperty("key").GetString() },
        });
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.True(view.GetProperty("status").GetString() == "completed", view.ToString());
    }
}
