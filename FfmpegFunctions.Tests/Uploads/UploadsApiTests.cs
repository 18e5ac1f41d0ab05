using System.Net;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static FfmpegFunctions.Tests.Uploads.UploadClient;

namespace FfmpegFunctions.Tests.Uploads;

/// <summary>Uploads are checked before use (POST /complete, or at first use), listed per tenant and deleted unless in use.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class UploadsApiTests(PipelineMedia media)
{
    [Fact]
    public async Task AGoodUploadIsConfirmedWithWhatWasStored()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var bytes = await File.ReadAllBytesAsync(media.Clip);
        var upload = await UploadAsync(client, "clip.mp4", "video/mp4", bytes);

        var (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/uploads/{upload.Id}/complete");

        Assert.True(status == HttpStatusCode.OK, body?.ToString());
        Assert.Equal("confirmed", body!.Value.GetProperty("status").GetString());
        Assert.Equal(bytes.Length, body.Value.GetProperty("size").GetInt64());
        Assert.Equal("video/mp4", body.Value.GetProperty("type").GetString());
        Assert.Equal((HttpStatusCode.OK, "confirmed"), await StatusOfAsync(client, upload.Id)); // completing twice is no error
    }

    [Fact]
    public async Task AnUploadOverItsDeclaredSizeIsRefusedAndDeleted()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false);
        using var client = server.CreateClient();
        var bytes = await File.ReadAllBytesAsync(media.Clip);
        var upload = await PresignAsync(client, "clip.mp4", "video/mp4", size: 1000);
        await PutAsync(upload, bytes); // the emulator, like an Azure SAS, takes any length

        var (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/uploads/{upload.Id}/complete");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains($"{bytes.Length} bytes, more than the 1000 bytes declared", body!.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await server.Services.GetRequiredService<IObjectStore>().StatAsync(upload.Key, CancellationToken.None));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "rejected"), await StatusOfAsync(client, upload.Id));
        // The still-valid URL cannot bring the file back into use.
        await PutAsync(upload, bytes[..900]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(client, HttpMethod.Post, $"/api/uploads/{upload.Id}/complete")).Status);
    }

    [Fact]
    public async Task ContentThatIsNotMediaOrCaptionsIsRefusedAndDeleted()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false);
        using var client = server.CreateClient();
        var objects = server.Services.GetRequiredService<IObjectStore>();

        var text = await UploadAsync(client, "clip.mp4", "video/mp4", Encoding.UTF8.GetBytes("this is not a video at all, only some text\n"));
        var (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/uploads/{text.Id}/complete");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var detail = body!.Value.GetProperty("detail").GetString()!;
        Assert.Contains("not media ffprobe can read", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz", detail, StringComparison.OrdinalIgnoreCase); // ffprobe's URL (and its signature) is not echoed
        Assert.Null(await objects.StatAsync(text.Key, CancellationToken.None));

        // A playlist would make ffprobe fetch what it lists: refused, not followed.
        var playlist = await UploadAsync(client, "clip.mp4", "video/mp4", Encoding.UTF8.GetBytes("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://169.254.169.254/latest/seg.ts\n#EXT-X-ENDLIST\n"));
        (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/uploads/{playlist.Id}/complete");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Format not on whitelist", body!.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var badCaptions = await UploadAsync(client, "subs.srt", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("1\nnot a timing line\nHello\n"));
        (status, body) = await SendAsync(client, HttpMethod.Post, $"/api/uploads/{badCaptions.Id}/complete");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("not valid SRT or WebVTT: line 2", body!.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await objects.StatAsync(badCaptions.Key, CancellationToken.None));

        var captions = await UploadAsync(client, "subs.vtt", "text/vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:00.200 --> 00:01.500\nHello\n"));
        Assert.Equal((HttpStatusCode.OK, "confirmed"), await StatusOfAsync(client, captions.Id, complete: true));
    }

    [Fact]
    public async Task CompletingBeforeThePutIs409AndUnknownUploadsAre404()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var upload = await PresignAsync(client, "clip.mp4", "video/mp4", 10);

        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(client, HttpMethod.Post, $"/api/uploads/{upload.Id}/complete")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Post, $"/api/uploads/{Guid.NewGuid()}/complete")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Delete, $"/api/uploads/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task AnUploadNobodyConfirmedIsCheckedAtFirstUse()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var upload = await UploadAsync(client, "clip.mp4", "video/mp4", Encoding.UTF8.GetBytes("not a video, never completed\n"));

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(upload.Id.ToString()));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        var error = view.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("/clips/0/source: The upload", error, StringComparison.Ordinal);
        Assert.Equal("/clips/0/source", view.GetProperty("error").GetProperty("pointer").GetString());
        Assert.Contains("not media ffprobe can read", error, StringComparison.Ordinal);
        Assert.Null(await server.Services.GetRequiredService<IObjectStore>().StatAsync(upload.Key, CancellationToken.None));
        Assert.Equal((HttpStatusCode.OK, "rejected"), await StatusOfAsync(client, upload.Id, complete: false));
    }

    [Fact]
    public async Task AnUploadAQueuedCompositionUsesCannotBeDeletedUntilItEnds()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false); // no engine: the composition stays queued
        using var client = server.CreateClient();
        var upload = await UploadAsync(client, "clip.mp4", "video/mp4", await File.ReadAllBytesAsync(media.Clip));
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(upload.Key));

        var (status, body) = await SendAsync(client, HttpMethod.Delete, $"/api/uploads/{upload.Id}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(id, body!.Value.GetProperty("compositions")[0].GetGuid());
        Assert.NotNull(await server.Services.GetRequiredService<IObjectStore>().StatAsync(upload.Key, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Post, $"/api/compositions/{id}/cancel")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, $"/api/uploads/{upload.Id}")).Status);
        Assert.Null(await server.Services.GetRequiredService<IObjectStore>().StatAsync(upload.Key, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, $"/api/uploads/{upload.Id}")).Status);
    }

    [Fact]
    public async Task UploadsAreListedPerTenantNewestFirstWithHowManyCompositionsUseThem()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));
        using var globex = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor"));
        var first = await PresignAsync(acme, "a.mp4", "video/mp4");
        var second = await PresignAsync(acme, "b.mp4", "video/mp4");
        var third = await PresignAsync(acme, "c.png", "image/png");
        var theirs = await PresignAsync(globex, "g.mp4", "video/mp4");
        // By key in one composition, by id (no hyphens, upper case) in another, twice in a third: three compositions.
        await PipelineHost.CreateAsync(acme, Specs.Simple(first.Key));
        await PipelineHost.CreateAsync(acme, Specs.Simple(first.Id.ToString("N").ToUpperInvariant()));
        await PipelineHost.CreateAsync(acme, new { clips = new object[] { new { source = first.Key }, new { source = first.Id.ToString() } } });

        var page = (await SendAsync(acme, HttpMethod.Get, "/api/uploads?limit=2")).Body!.Value;
        Assert.Equal([third.Id, second.Id], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var cursor = page.GetProperty("nextCursor").GetString();
        var rest = (await SendAsync(acme, HttpMethod.Get, $"/api/uploads?limit=2&cursor={cursor}")).Body!.Value;
        var last = Assert.Single(rest.GetProperty("items").EnumerateArray());
        Assert.Equal(first.Id, last.GetProperty("id").GetGuid());
        Assert.Equal((first.Key, "a.mp4", "video/mp4", "pending", 3), (last.GetProperty("key").GetString(), last.GetProperty("name").GetString(),
            last.GetProperty("type").GetString(), last.GetProperty("status").GetString(), last.GetProperty("usedBy").GetInt32()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var theirList = (await SendAsync(globex, HttpMethod.Get, "/api/uploads")).Body!.Value;
        Assert.Equal([theirs.Id], theirList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        // Another tenant's upload is as unknown as a made-up id, for every route.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(globex, HttpMethod.Get, $"/api/uploads/{first.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(globex, HttpMethod.Post, $"/api/uploads/{first.Id}/complete")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(globex, HttpMethod.Delete, $"/api/uploads/{first.Id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(acme, HttpMethod.Get, "/api/uploads?cursor=nope")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(acme, HttpMethod.Get, "/api/uploads?limit=101")).Status);
    }

    /// <summary>The status code of /complete (or of GET when <paramref name="complete"/> is false) and the upload's status after it.</summary>
    private static async Task<(HttpStatusCode, string?)> StatusOfAsync(HttpClient client, Guid id, bool complete = true)
    {
        var code = complete ? (await SendAsync(client, HttpMethod.Post, $"/api/uploads/{id}/complete")).Status : HttpStatusCode.OK;
        var view = (await SendAsync(client, HttpMethod.Get, $"/api/uploads/{id}")).Body!.Value;
        return (code, view.GetProperty("status").GetString());
    }
}
