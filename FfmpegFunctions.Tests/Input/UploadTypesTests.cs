using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Input;

/// <summary>Uploads take only what a render can read: video, audio, raster images ffmpeg decodes, and SRT/WebVTT captions.</summary>
public sealed class UploadTypesTests : IAsyncLifetime
{
    private PipelineHost host = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        host = await PipelineHost.CreateAsync();
        client = host.Start(engine: false).CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [Theory]
    [InlineData("clip.mp4", "video/mp4")]
    [InlineData("clip.mov", "video/quicktime")]
    [InlineData("music.m4a", "audio/mp4")]
    [InlineData("voice.mp3", "audio/mpeg")]
    [InlineData("logo.png", "image/png")]
    [InlineData("photo.jpg", "image/jpeg")]
    [InlineData("photo.webp", "image/webp")]
    [InlineData("anim.gif", "image/gif")]
    [InlineData("scan.bmp", "image/bmp")]
    [InlineData("scan.tif", "image/tiff")]
    [InlineData("subs.srt", "application/x-subrip")]
    [InlineData("subs.srt", "text/plain")]
    [InlineData("subs.srt", "text/plain; charset=utf-8")]
    [InlineData("subs.vtt", "text/vtt")]
    [InlineData("subs.VTT", "text/vtt;charset=UTF-8")]
    public async Task MediaRendersCanUseAndCaptionFilesAreAccepted(string fileName, string contentType)
    {
        using var response = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName, contentType } } });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var upload = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("uploads")[0];
        Assert.Equal(contentType, upload.GetProperty("headers").GetProperty("Content-Type").GetString()); // the PUT must send what was signed
    }

    [Theory]
    [InlineData("logo.svg", "image/svg+xml")]
    [InlineData("photo.heic", "image/heic")]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("page.html", "text/html")]
    [InlineData("subs.srt", "text/html")]
    [InlineData("clip.mp4", "text/vtt")]
    [InlineData("subs.srt", "text/plain; charset=iso-8859-1")]
    [InlineData("subs.srt", "text/plain; boundary=x")]
    [InlineData("doc.pdf", "application/pdf")]
    [InlineData("clip.mp4", "video/mp4; codecs=avc1")]
    public async Task OtherTypesAreRefusedAtTheContentTypeNamingTheAllowedOnes(string fileName, string contentType)
    {
        using var response = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName, contentType } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["/files/0/contentType"], errors.EnumerateObject().Select(p => p.Name));
        var message = errors.GetProperty("/files/0/contentType")[0].GetString()!;
        Assert.Contains("image/png", message, StringComparison.Ordinal);
        Assert.Contains("text/vtt", message, StringComparison.Ordinal);
    }
}
