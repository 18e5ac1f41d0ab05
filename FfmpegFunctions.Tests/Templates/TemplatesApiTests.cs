using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Templates;

[Collection(nameof(PipelineCollection))]
public sealed class TemplatesApiTests(PipelineMedia media)
{
    private static object Template(string source) => new
    {
        name = "lower third",
        spec = new
        {
            title = "{{title}}",
            output = new { width = "{{width}}", height = 180, fps = 25, preset = "ultrafast" },
            clips = new object[] { new { source, trim = new { start = 0, end = "{{seconds}}" } } },
            overlays = new object[] { new { type = "text", text = "Hello {{name}}", fontSize = 20 } },
        },
    };

    [Fact]
    public async Task ATemplateRendersWithItsValuesMergedIntoTheOutput()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: true);
        using var client = server.CreateClient();
        var key = await host.UploadInputAsync(server, media.Clip);

        var template = await PostJsonAsync(client, "/api/templates", Template(key), HttpStatusCode.Created);
        Assert.Equal(["title", "width", "seconds", "name"], template.GetProperty("placeholders").EnumerateArray().Select(p => p.GetString()));
        var id = template.GetProperty("id").GetGuid();

        var created = await PostJsonAsync(client, $"/api/templates/{id}/render",
            new { values = new { title = "Weekly", width = 240, seconds = 1.5, name = "Ada" } }, HttpStatusCode.Accepted);
        var compositionId = created.GetProperty("id").GetGuid();
        var view = await PipelineHost.WaitForStatusAsync(client, compositionId, TimeSpan.FromSeconds(60), "completed", "failed");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal("Weekly", view.GetProperty("title").GetString());
        var links = JsonDocument.Parse(await client.GetStringAsync($"/api/compositions/{compositionId}/download")).RootElement;
        using var download = new HttpClient();
        var file = Path.Combine(host.WorkRoot, "template.mp4");
        Directory.CreateDirectory(host.WorkRoot);
        await File.WriteAllBytesAsync(file, await download.GetByteArrayAsync(links.GetProperty("url").GetString()));
        var probed = FfprobeReader.Read(file);
        Assert.Equal((240, 180), (probed.Width, probed.Height)); // {{width}} became the number 240
        Assert.Equal(1.5, probed.Duration, 0.1); // {{seconds}} trimmed the clip
    }

    [Fact]
    public async Task MissingValuesAreNamedAndAMergedSpecIsValidatedWithItsPointers()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var id = (await PostJsonAsync(client, "/api/templates", Template("inputs/x/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var missing = await PostJsonAsync(client, $"/api/templates/{id}/render", new { values = new { title = "t", width = 320 } }, HttpStatusCode.BadRequest);
        Assert.Equal(["/values/name", "/values/seconds"], missing.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var oddWidth = await PostJsonAsync(client, $"/api/templates/{id}/render",
            new { values = new { title = "t", width = 321, seconds = 2, name = "n" } }, HttpStatusCode.BadRequest);
        // Where the value lands and where the user gave it.
        Assert.Equal(["/output/width", "/values/width"], oddWidth.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var landed = oddWidth.GetProperty("errors").GetProperty("/output/width")[0].GetString();
        Assert.Equal($"{landed!.TrimEnd('.')} (the value lands at /output/width).", oddWidth.GetProperty("errors").GetProperty("/values/width")[0].GetString());
        var wrongType = await PostJsonAsync(client, $"/api/templates/{id}/render",
            new { values = new { title = "t", width = 320, seconds = "soon", name = "n" } }, HttpStatusCode.BadRequest);
        Assert.Equal(["/clips/0/trim/end", "/values/seconds"], wrongType.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task AVersionIsImmutableOnceUsedAndUpdatesThenMakeTheNextVersion()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var id = (await PostJsonAsync(client, "/api/templates", Template("inputs/x/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Never rendered: an update replaces version 1.
        var replaced = await PutJsonAsync(client, $"/api/templates/{id}", new { spec = new { title = "{{title}}", clips = new object[] { new { source = "inputs/x/a.mp4" } } } });
        Assert.Equal(1, replaced.GetProperty("version").GetInt32());

        await PostJsonAsync(client, $"/api/templates/{id}/render", new { values = new { title = "first" } }, HttpStatusCode.Accepted);
        var next = await PutJsonAsync(client, $"/api/templates/{id}", new { spec = new { title = "v2 {{title}}", clips = new object[] { new { source = "inputs/x/b.mp4" } } } });
        Assert.Equal(2, next.GetProperty("version").GetInt32());

        var first = JsonDocument.Parse(await client.GetStringAsync($"/api/templates/{id}?version=1")).RootElement;
        Assert.Equal("inputs/x/a.mp4", first.GetProperty("spec").GetProperty("clips")[0].GetProperty("source").GetString());
        Assert.True(first.TryGetProperty("usedAt", out var usedAt) && usedAt.ValueKind == JsonValueKind.String);
        Assert.Equal(2, first.GetProperty("latestVersion").GetInt32());

        // Rendering version 1 again still renders the unchanged version 1.
        var again = await PostJsonAsync(client, $"/api/templates/{id}/render", new { values = new { title = "again" }, version = 1 }, HttpStatusCode.Accepted);
        var spec = (await PipelineHost.GetAsync(client, again.GetProperty("id").GetGuid())).GetProperty("spec");
        Assert.Equal("inputs/x/a.mp4", spec.GetProperty("clips")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task RendersHonourIdempotencyKeysAndUnknownTemplatesAre404()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var id = (await PostJsonAsync(client, "/api/templates", Template("inputs/x/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var values = new { values = new { title = "t", width = 320, seconds = 2, name = "n" } };

        var first = await PostJsonAsync(client, $"/api/templates/{id}/render", values, HttpStatusCode.Accepted, "order-1");
        var replay = await PostJsonAsync(client, $"/api/templates/{id}/render", values, HttpStatusCode.Accepted, "order-1");
        Assert.Equal(first.GetProperty("id").GetGuid(), replay.GetProperty("id").GetGuid());
        await PostJsonAsync(client, $"/api/templates/{id}/render", new { values = new { title = "other", width = 320, seconds = 2, name = "n" } },
            HttpStatusCode.Conflict, "order-1");

        var unknown = await PostJsonAsync(client, $"/api/templates/{Guid.NewGuid()}/render", values, HttpStatusCode.NotFound);
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
        using var get = await client.GetAsync($"/api/templates/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task ATemplateWithoutPlaceholdersMustBeAValidCompositionAtOnce()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        var invalid = await PostJsonAsync(client, "/api/templates", new { name = "fixed", spec = new { output = new { width = 321 }, clips = new object[] { new { source = "inputs/x/a.mp4" } } } },
            HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("/spec/output/width", out _));
        var noName = await PostJsonAsync(client, "/api/templates", new { spec = new { title = "{{t}}" } }, HttpStatusCode.BadRequest);
        Assert.True(noName.GetProperty("errors").TryGetProperty("/name", out _));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM templates"));
    }

    [Fact]
    public async Task AnotherTenantsTemplateAnswers404LikeAnUnknownOne()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));
        using var globex = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor"));
        var id = (await PostJsonAsync(acme, "/api/templates", Template($"inputs/t/acme/{Guid.NewGuid()}/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        using var get = await globex.GetAsync($"/api/templates/{id}");
        using var unknown = await globex.GetAsync($"/api/templates/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString(),
            JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
        using var put = await globex.PutAsJsonAsync($"/api/templates/{id}", new { spec = new { title = "{{t}}" } });
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        await PostJsonAsync(globex, $"/api/templates/{id}/render", new { values = new { title = "t", width = 320, seconds = 1, name = "n" } }, HttpStatusCode.NotFound);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));

        // A merged source outside the tenant's own uploads is refused at its pointer, like a plain create.
        var foreign = (await PostJsonAsync(globex, "/api/templates", Template("inputs/t/acme/x/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var refused = await PostJsonAsync(globex, $"/api/templates/{foreign}/render", new { values = new { title = "t", width = 320, seconds = 1, name = "n" } }, HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("/clips/0/source", out _));
    }

    [Fact]
    public async Task DeletingATemplateKeepsTheCompositionsMadeFromIt()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var id = (await PostJsonAsync(client, "/api/templates", Template("inputs/x/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var made = (await PostJsonAsync(client, $"/api/templates/{id}/render",
            new { values = new { title = "kept", width = 320, seconds = 2, name = "Ada" } }, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        var before = (await PipelineHost.GetAsync(client, made)).GetProperty("spec").GetRawText();

        using (var deleted = await client.DeleteAsync($"/api/templates/{id}")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using (var gone = await client.GetAsync($"/api/templates/{id}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM template_versions"));
        var after = await PipelineHost.GetAsync(client, made);
        Assert.Equal(before, after.GetProperty("spec").GetRawText());
        Assert.Equal("Hello Ada", after.GetProperty("spec").GetProperty("overlays")[0].GetProperty("text").GetString());
        using var again = await client.DeleteAsync($"/api/templates/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TemplatesAreListedPerTenantNewestFirstInPages()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));
        using var globex = api.CreateClientWithKey(await Security.AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor"));
        var ids = new List<Guid>();
        foreach (var _ in Enumerable.Range(0, 3))
            ids.Add((await PostJsonAsync(acme, "/api/templates", Template($"inputs/t/acme/{Guid.NewGuid()}/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid());
        var theirs = (await PostJsonAsync(globex, "/api/templates", Template($"inputs/t/globex/{Guid.NewGuid()}/clip.mp4"), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var page = JsonDocument.Parse(await acme.GetStringAsync("/api/templates?limit=2")).RootElement;
        Assert.Equal([ids[2], ids[1]], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var first = page.GetProperty("items")[0];
        Assert.Equal(["title", "width", "seconds", "name"], first.GetProperty("placeholders").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1, first.GetProperty("latestVersion").GetInt32());
        var rest = JsonDocument.Parse(await acme.GetStringAsync($"/api/templates?limit=2&cursor={page.GetProperty("nextCursor").GetString()}")).RootElement;
        Assert.Equal([ids[0]], rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var theirList = JsonDocument.Parse(await globex.GetStringAsync("/api/templates")).RootElement;
        Assert.Equal([theirs], theirList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        using var foreignDelete = await globex.DeleteAsync($"/api/templates/{ids[0]}");
        Assert.Equal(HttpStatusCode.NotFound, foreignDelete.StatusCode);
        Assert.Equal(4, await host.Database.CountAsync("SELECT count(*) FROM templates"));
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, object body, HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (expected is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> PutJsonAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
