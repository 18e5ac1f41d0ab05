using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.SpecV2;

/// <summary>v2 sources (layers, captions) go through the real workflow: downloaded, checked when probed, rendered.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class SpecV2PipelineTests(PipelineMedia media)
{
    [Fact]
    public async Task ACaptionsFileWithABadCueFailsTheRenderNamingItsLine()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var clip = await host.UploadInputAsync(server, media.Clip);
        var srt = Path.Combine(host.WorkRoot, "bad.srt");
        Directory.CreateDirectory(host.WorkRoot);
        await File.WriteAllTextAsync(srt, "1\n00:00:00,100 --> 00:00:01,000\nfine\n\n2\n00:00:01,500 --> 00:00:01,200\nbackwards\n");
        var captions = await host.UploadInputAsync(server, srt, "application/x-subrip");

        var id = await PipelineHost.CreateAsync(client, new
        {
            output = new { width = 320, height = 180, fps = 25, preset = "ultrafast" },
            clips = new object[] { new { source = clip } },
            captions = new { source = captions },
        });
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        var error = view.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("/captions/source", error, StringComparison.Ordinal);
        Assert.Contains("line 6: the cue ends before it starts", error, StringComparison.Ordinal);
        Assert.Equal(1, view.GetProperty("attempts").GetInt32()); // a bad file is not retried
    }

    [Fact]
    public async Task ALayerAndCaptionsRenderThroughTheWorkflow()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var clip = await host.UploadInputAsync(server, media.Clip);
        var layer = await host.UploadInputAsync(server, media.Tiny);
        var vtt = Path.Combine(host.WorkRoot, "subs.vtt");
        Directory.CreateDirectory(host.WorkRoot);
        await File.WriteAllTextAsync(vtt, "WEBVTT\n\n00:00.200 --> 00:01.500\nHello {world}\n");
        var captions = await host.UploadInputAsync(server, vtt, "text/vtt");

        var id = await PipelineHost.CreateAsync(client, new
        {
            output = new { width = 320, height = 180, fps = 25, preset = "ultrafast" },
            clips = new object[] { new { source = clip, speed = 1.25 } },
            layers = new object[] { new { source = layer, start = 0.2, duration = 0.8, scale = 0.3, position = "top-left" } },
            captions = new { source = captions, fontSize = 24 },
        });
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.True(view.GetProperty("status").GetString() == "completed", view.ToString());
        Assert.Equal(1.6, view.GetProperty("output").GetProperty("duration").GetDouble(), 0.05); // 2 s at 1.25x
    }

    [Fact]
    public async Task AnSrtUploadedAsPlainTextThroughTheApiRendersAsCaptions()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var clip = await host.UploadInputAsync(server, media.Clip);

        // What a client does: ask for a presigned PUT, send the file with the signed headers, name the key in the spec.
        using var asked = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "subs.srt", contentType = "text/plain; charset=utf-8" } } });
        Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync());
        var upload = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("uploads")[0];
        using var put = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("url").GetString())
        {
            Content = new StringContent("1\n00:00:00,200 --> 00:00:01,500\nHello from an upload\n"),
        };
        put.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(upload.GetProperty("headers").GetProperty("Content-Type").GetString()!);
        using var storage = new HttpClient();
        using var stored = await storage.SendAsync(put);
        Assert.True(stored.IsSuccessStatusCode, $"PUT answered {(int)stored.StatusCode}");

        var id = await PipelineHost.CreateAsync(client, new
        {
            output = new { width = 320, height = 180, fps = 25, preset = "ultrafast" },
            clips = new object[] { new { source = clip } },
            captions = new { source = upload.GetProperty("key").GetString() },
        });
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.True(view.GetProperty("status").GetString() == "completed", view.ToString());
    }
}
