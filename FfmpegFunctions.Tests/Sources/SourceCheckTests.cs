using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Sources;

/// <summary>Stored sources are checked when a composition is created: a missing one is the client's 400, nothing stored.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class SourceCheckTests(PipelineMedia media)
{
    private static readonly Dictionary<string, string?> Checking = new() { ["Sources:CheckStoredAtCreation"] = "true" };

    public static object AudioOver(string clip, string other, string audio) => new
    {
        output = new { width = 320, height = 180, fps = 25 },
        clips = new object[] { new { source = clip }, new { source = other }, new { source = clip } },
        audio = new { source = audio },
    };

    [Fact]
    public async Task AMissingKeyOrUploadIsRejectedAtItsPointersAndNothingIsStored()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false, extra: Checking);
        using var client = server.CreateClient();
        var key = await host.UploadInputAsync(server, media.Tiny);
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4";
        var upload = Guid.NewGuid().ToString();

        using var response = await client.PostAsJsonAsync("/api/compositions", AudioOver(missing, key, upload));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["/audio/source", "/clips/0/source", "/clips/2/source"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal($"the object '{missing}' does not exist in storage.", errors.GetProperty("/clips/0/source")[0].GetString());
        Assert.Equal($"the upload '{upload}' has no file (was it uploaded?).", errors.GetProperty("/audio/source")[0].GetString());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task ExistingKeysAndUploadsPassTheCheck()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false, extra: Checking);
        using var client = server.CreateClient();
        var key = await host.UploadInputAsync(server, media.Tiny);
        var upload = Guid.Parse(key.Split('/')[1]).ToString();

        await PipelineHost.CreateAsync(client, AudioOver(key, upload, key));

        Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task ATemplateRenderNamingAMissingSourceIsRejectedBeforeAnythingIsQueued()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false, extra: Checking).CreateClient();
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4";
        using var created = await client.PostAsJsonAsync("/api/templates", new
        {
            name = "missing media",
            spec = new { output = new { width = 320, height = 180, fps = 25 }, clips = new object[] { new { source = "{{clip}}" } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var render = await client.PostAsJsonAsync($"/api/templates/{id}/render", new { values = new { clip = missing } });

        Assert.Equal(HttpStatusCode.BadRequest, render.StatusCode);
        var errors = JsonDocument.Parse(await render.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal($"the object '{missing}' does not exist in storage.", errors.GetProperty("/clips/0/source")[0].GetString());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }
}
