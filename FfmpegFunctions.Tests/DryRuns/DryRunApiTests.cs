extern alias functions;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using functions::FfmpegFunctions.Functions.Http;
using FfmpegFunctions.Tests.Functions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Sources;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.DryRuns;

/// <summary>
/// POST /api/compositions?dryRun=true on both hosts: checks, probes and plans against the real store and ffprobe,
/// answers the plan's figures and estimates, and stores nothing; what would fail later fails here, at its pointer.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class DryRunApiTests(PipelineMedia media)
{
    [Fact]
    public async Task ADryRunAnswersThePlannedOutputAndEstimatesAndStoresNothing()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Clip);

        var (status, body) = await DryRunAsync(client, Specs.TwoClipsWithFade(key, key));

        Assert.Equal(HttpStatusCode.OK, status);
        // Two 2 s clips with a 0.5 s fade at 25 fps: about 3.5 s (the probed lengths, frame-exact), every frame counted.
        var duration = body.GetProperty("duration").GetDouble();
        Assert.InRange(duration, 3.44, 3.52);
        Assert.Equal((long)Math.Round(duration * 25), body.GetProperty("frames").GetInt64());
        Assert.Equal(320, body.GetProperty("width").GetInt32());
        Assert.Equal(180, body.GetProperty("height").GetInt32());
        Assert.Equal("mp4", body.GetProperty("format").GetString());
        Assert.Equal(1, body.GetProperty("segments").GetInt32());
        Assert.Contains("render", body.GetProperty("passes").EnumerateArray().Select(p => p.GetString()));
        Assert.InRange(body.GetProperty("estimatedBytes").GetInt64(), 10_000, 5_000_000);
        Assert.True(body.GetProperty("estimatedRenderSeconds").GetDouble() > 0);
        Assert.Equal(0, body.GetProperty("basis").GetProperty("recentRenders").GetInt32());
        var input = Assert.Single(body.GetProperty("inputs").EnumerateArray());
        Assert.Equal("/clips/0/source", input.GetProperty("pointer").GetString());
        Assert.Equal(2, input.GetProperty("duration").GetDouble(), 1);
        Assert.True(input.GetProperty("hasAudio").GetBoolean());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM jobs"));
        Assert.Empty(host.LocalFiles());
    }

    [Fact]
    public async Task WhatWouldFailAtProbeOrPlanFailsTheDryRunAtItsPointer()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        var clip = await host.UploadInputAsync(instance, media.Clip);
        var corrupt = await host.UploadInputAsync(instance, media.Corrupt);

        var (trimStatus, trim) = await DryRunAsync(client, Specs.Simple(clip, trimEnd: 9));
        var (corruptStatus, bad) = await DryRunAsync(client, Specs.Simple(corrupt));
        var missing = clip.Replace("clip.mp4", "nope.mp4", StringComparison.Ordinal);
        var (missingStatus, gone) = await DryRunAsync(client, Specs.Simple(missing));

        Assert.Equal(HttpStatusCode.BadRequest, trimStatus);
        Assert.Equal(["/clips/0/trim/end"], trim.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.BadRequest, corruptStatus);
        var corruptError = bad.GetProperty("errors").GetProperty("/clips/0/source")[0].GetString()!;
        Assert.StartsWith($"The input '{corrupt}' is not readable media:", corruptError);
        Assert.DoesNotContain("X-Amz", corruptError, StringComparison.OrdinalIgnoreCase); // the presigned URL never shows
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains(missing, gone.GetProperty("errors").GetProperty("/clips/0/source")[0].GetString());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task AUrlSourceIsFetchedThroughTheGuardedFetcherProbedAndLeftNowhere()
    {
        await using var files = await MediaServer.StartAsync(new Dictionary<string, string> { ["/media/clip.mp4"] = media.Clip });
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false, extra: new Dictionary<string, string?>
        {
            ["Sources:AllowHttp"] = "true",
            ["Sources:AllowPrivateTargets"] = "true",
        });
        using var client = instance.CreateClient();
        var url = files.BaseUrl + "/media/clip.mp4";

        var (status, body) = await DryRunAsync(client, Specs.Simple(url));

        Assert.Equal(HttpStatusCode.OK, status);
        var input = Assert.Single(body.GetProperty("inputs").EnumerateArray());
        Assert.Equal(url, input.GetProperty("source").GetString());
        Assert.Equal(2, input.GetProperty("duration").GetDouble(), 1);
        Assert.Equal(["/media/clip.mp4"], files.Requests);
        // The bucket is shared by the run's tests: only a dry run's scratch id would name this prefix.
        Assert.Empty(await instance.Services.GetRequiredService<IObjectStore>().ListAsync("temp/dryrun-", 10, CancellationToken.None));
        Assert.Empty(host.LocalFiles());
    }

    [Theory]
    [InlineData("dryRun=maybe")]
    [InlineData("dryRun=true&dryRun=false")]
    public async Task ADryRunFlagThatIsNotABooleanIsRefusedAtIt(string query)
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);

        using var response = await client.PostAsJsonAsync($"/api/compositions?{query}", Specs.Simple(key));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dryRun must be true or false.", problem.GetProperty("errors").GetProperty("dryRun")[0].GetString());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task TheFunctionsAppAnswersTheSameDryRunAsTheServer()
    {
        await using var functions = await FunctionsAppHost.StartAsync();
        var key = await functions.UploadInputAsync(media.Clip);
        var spec = Specs.TwoClipsWithFade(key, key);
        var http = FunctionsAppHost.Admitted(functions.NewHttpContext("POST", "/api/compositions", JsonSerializer.Serialize(spec), "?dryRun=true"));
        var (status, body) = await FunctionsAppHost.ExecuteAsync(http,
            await functions.Create<CompositionsFunctions>().CreateAsync(http.Request, functions.Client, CancellationToken.None));

        await using var server = await PipelineHost.CreateAsync();
        var instance = server.Start(engine: false);
        using var client = instance.CreateClient();
        var serverKey = await server.UploadInputAsync(instance, media.Clip);
        var (serverStatus, serverBody) = await DryRunAsync(client, Specs.TwoClipsWithFade(serverKey, serverKey));

        Assert.Equal(200, status);
        Assert.Equal(HttpStatusCode.OK, serverStatus);
        using var json = JsonDocument.Parse(body);
        var answer = json.RootElement;
        Assert.Equal(serverBody.EnumerateObject().Select(p => p.Name), answer.EnumerateObject().Select(p => p.Name));
        foreach (var member in new[] { "duration", "frames", "width", "height", "fps", "format", "passes", "segments", "estimatedBytes" })
            Assert.Equal(serverBody.GetProperty(member).GetRawText(), answer.GetProperty(member).GetRawText());
        Assert.Equal(0, await functions.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DryRunAsync(HttpClient client, object spec)
    {
        using var response = await client.PostAsJsonAsync("/api/compositions?dryRun=true", spec);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
