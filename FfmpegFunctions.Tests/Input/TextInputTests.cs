using System.Net;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Input;

/// <summary>
/// Strings PostgreSQL cannot store (NUL, unpaired surrogates) and control characters are refused up front with a 400
/// at the pointer of the member at fault, in every body: compositions, templates, template values and uploads.
/// </summary>
public sealed class TextInputTests : IAsyncLifetime
{
    private const string Source = "inputs/00000000-0000-0000-0000-000000000001/a.mp4";
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

    [Fact]
    public async Task ANulInATitleIsA400AtTheTitleAndNothingIsStored()
    {
        var errors = await RejectedAsync(HttpMethod.Post, "/api/compositions", JsonSerializer.Serialize(Specs.Simple(Source, title: "a\u0000b")));

        Assert.Equal(["/title"], errors.Keys);
        Assert.Contains("U+0000", errors["/title"][0], StringComparison.Ordinal);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Theory]
    [InlineData("""{"title":"t","priority":"\ud800","clips":[{"source":"S"}]}""", "/priority")]
    [InlineData("""{"title":"x\udc00","clips":[{"source":"S"}]}""", "/title")]
    [InlineData("""{"title":"t","clips":[{"source":"S"}],"overlays":[{"type":"text","text":"\ud83d"}]}""", "/overlays/0/text")]
    [InlineData("""{"title":"t","clips":[{"source":"S","\ud800":1}]}""", "/clips/0")]
    public async Task AnUnpairedSurrogateAnywhereIsA400AtItsPointer(string body, string pointer)
    {
        var errors = await RejectedAsync(HttpMethod.Post, "/api/compositions", body.Replace("\"S\"", $"\"{Source}\"", StringComparison.Ordinal));

        Assert.Equal([pointer], errors.Keys);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task InvalidUtf8IsA400NotA500()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"title":"x","clips":[{"source":"{{Source}}"}]}""").ToList();
        body.InsertRange(11, new byte[] { 0xed, 0xa0, 0x80 }); // a UTF-8-encoded surrogate inside the title
        using var content = new ByteArrayContent([.. body]);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/api/compositions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("/title", out _));
    }

    [Fact]
    public async Task ControlCharactersAreRefusedButTabsAndLineBreaksAreText()
    {
        var escape = await RejectedAsync(HttpMethod.Post, "/api/compositions", JsonSerializer.Serialize(Specs.Simple(Source, title: "a\u001b[31mred")));
        Assert.Equal(["/title"], escape.Keys);

        using var accepted = await PostAsync("/api/compositions", JsonSerializer.Serialize(Specs.Simple(Source, title: "tab\there\r\nnext line")));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task ATemplateWithANulInItsNameOrSpecIsA400AndNothingIsStored()
    {
        var name = await RejectedAsync(HttpMethod.Post, "/api/templates",
            JsonSerializer.Serialize(new { name = "n\u0000", spec = new { title = "{{title}}", clips = new[] { new { source = Source } } } }));
        Assert.Equal(["/name"], name.Keys);
        // With a placeholder the spec is only validated when it renders: the text check must not wait for that.
        var spec = await RejectedAsync(HttpMethod.Post, "/api/templates",
            JsonSerializer.Serialize(new { name = "n", spec = new { title = "{{title}}", clips = new[] { new { source = Source + "\u0000" } } } }));
        Assert.Equal(["/spec/clips/0/source"], spec.Keys);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM templates"));

        var id = await CreateTemplateAsync();
        var renamed = await RejectedAsync(HttpMethod.Put, $"/api/templates/{id}",
            JsonSerializer.Serialize(new { name = "\u0000", spec = new { title = "{{title}}", clips = new[] { new { source = Source } } } }));
        Assert.Equal(["/name"], renamed.Keys);
        Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM template_versions"));
        Assert.Equal(1, await host.Database.CountAsync("SELECT count(*) FROM templates WHERE name = 'fuzzless'"));
    }

    [Fact]
    public async Task ANulInATemplateValueIsA400AtTheValueAndNoCompositionIsStored()
    {
        var id = await CreateTemplateAsync();

        var errors = await RejectedAsync(HttpMethod.Post, $"/api/templates/{id}/render", JsonSerializer.Serialize(new { values = new { title = "x\u0000" } }));
        Assert.Equal(["/values/title"], errors.Keys);
        var surrogate = await RejectedAsync(HttpMethod.Post, $"/api/templates/{id}/render", """{"values":{"title":"\udfff"}}""");
        Assert.Equal(["/values/title"], surrogate.Keys);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task AnUploadWithAControlCharacterInItsFileNameIsA400AtTheFileName()
    {
        var errors = await RejectedAsync(HttpMethod.Post, "/api/uploads",
            JsonSerializer.Serialize(new { files = new[] { new { fileName = "clip\u0000.mp4", contentType = "video/mp4" } } }));

        Assert.Equal(["/files/0/fileName"], errors.Keys);
    }

    private async Task<Guid> CreateTemplateAsync()
    {
        using var created = await PostAsync("/api/templates",
            JsonSerializer.Serialize(new { name = "fuzzless", spec = new { title = "{{title}}", clips = new[] { new { source = Source } } } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Sends the body and returns the problem's errors, after checking it is a 400 problem+json.</summary>
    private async Task<Dictionary<string, string[]>> RejectedAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
