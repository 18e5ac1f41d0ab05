using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Pipeline;

[Collection(nameof(PipelineCollection))]
public sealed class CompositionApiTests(PipelineMedia media)
{
    [Fact]
    public async Task AnInvalidSpecIsRejectedWithFieldPointersAndNothingIsStored()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsync("/api/compositions", new StringContent(
            """{"output":{"width":321},"clips":[{"source":"../etc/passwd","trim":{"start":3,"end":1}}],"bogus":1}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("/bogus", out _));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM jobs"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task MalformedBodiesAreA400NotA500(string body)
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsync("/api/compositions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedWith413()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsync("/api/compositions",
            new StringContent("{\"title\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task CreatingWritesTheCompositionAndItsJobAndAnswers202WithLocation()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsJsonAsync("/api/compositions", Specs.Simple("inputs/x/clip.mp4", priority: "high"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal($"/api/compositions/{id}", response.Headers.Location?.ToString());
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'queued' AND priority = 0"));
        var view = await PipelineHost.GetAsync(client, id);
        Assert.Equal("high", view.GetProperty("priority").GetString());
        Assert.Equal("inputs/x/clip.mp4", view.GetProperty("spec").GetProperty("clips")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task ARepeatWithTheSameIdempotencyKeyReturnsTheFirstResultAndADifferentBodyConflicts()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        var first = await PipelineHost.CreateAsync(client, Specs.Simple("inputs/a/clip.mp4"), idempotencyKey: "order-42");
        var again = await PipelineHost.CreateAsync(client, Specs.Simple("inputs/a/clip.mp4"), idempotencyKey: "order-42");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/compositions") { Content = JsonContent.Create(Specs.Simple("inputs/b/other.mp4")) };
        request.Headers.Add("Idempotency-Key", "order-42");
        using var conflict = await client.SendAsync(request);

        Assert.Equal(first, again);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
        Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task UnknownIdsAre404ProblemsAndAnUnfinishedDownloadIs409()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var id = await PipelineHost.CreateAsync(client, Specs.Simple("inputs/a/clip.mp4"));

        using var missing = await client.GetAsync($"/api/compositions/{Guid.NewGuid()}");
        using var early = await client.GetAsync($"/api/compositions/{id}/download");
        using var badId = await client.GetAsync("/api/compositions/not-a-guid");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("queued", await early.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
    }

    [Fact]
    public async Task TheListIsNewestFirstAndPagesWithACursor()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await PipelineHost.CreateAsync(client, Specs.Simple("inputs/a/clip.mp4", title: $"n{i}")));

        var page1 = JsonDocument.Parse(await client.GetStringAsync("/api/compositions?limit=2")).RootElement;
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2 = JsonDocument.Parse(await client.GetStringAsync($"/api/compositions?limit=2&cursor={cursor}")).RootElement;
        var page3 = JsonDocument.Parse(await client.GetStringAsync($"/api/compositions?limit=2&cursor={page2.GetProperty("nextCursor").GetString()}")).RootElement;
        using var badCursor = await client.GetAsync("/api/compositions?cursor=garbage");
        using var badStatus = await client.GetAsync("/api/compositions?status=sleeping");

        var seen = new[] { page1, page2, page3 }.SelectMany(p => p.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())).ToList();
        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.Equal(JsonValueKind.Null, page3.GetProperty("nextCursor").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var queued = JsonDocument.Parse(await client.GetStringAsync("/api/compositions?status=queued&limit=100")).RootElement;
        Assert.Equal(5, queued.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task UploadsHandOutPresignedPutUrlsUnderInputs()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "../../My Clip.mp4", contentType = "video/mp4" } } });
        var upload = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("uploads")[0];
        var key = upload.GetProperty("key").GetString()!;
        using var s3 = new HttpClient();
        using var put = new ByteArrayContent(await File.ReadAllBytesAsync(media.Tiny));
        put.Headers.ContentType = new("video/mp4");
        using var stored = await s3.PutAsync(upload.GetProperty("url").GetString(), put);
        using var invalid = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "", contentType = "text/html" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"inputs/{upload.GetProperty("uploadId").GetGuid():D}/", key);
        Assert.EndsWith("/My_Clip.mp4", key);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var info = await api.Services.GetRequiredService<IObjectStore>().GetInfoAsync(key, CancellationToken.None);
        Assert.Equal(new FileInfo(media.Tiny).Length, info?.Size);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("/files/0/fileName", out _));
        Assert.True(errors.TryGetProperty("/files/0/contentType", out _));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        using var reference = await client.GetAsync("/docs");

        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/compositions", paths);
        Assert.Contains("/api/compositions/{id}", paths);
        Assert.Contains("/api/compositions/{id}/download", paths);
        Assert.Contains("/api/compositions/{id}/cancel", paths);
        Assert.Contains("/api/uploads", paths);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }
}
