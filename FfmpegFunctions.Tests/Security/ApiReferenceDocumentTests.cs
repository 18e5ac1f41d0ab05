using System.Net;
using System.Text.Json;
using FfmpegFunctions.Server.ApiReference;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace FfmpegFunctions.Tests.Security;

public sealed class ApiReferenceDocumentTests
{
    [Fact]
    public async Task TheDocumentDeclaresTheKeyAndBearerSchemesAndAcceptsEitherOne()
    {
        await using var host = await PipelineHost.CreateAsync();
        var server = host.Start(engine: false, extra: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = "https://issuer.test",
            ["Auth:Jwt:Audience"] = "ffmpegfunctions",
            ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(new byte[32]),
        });
        using var anonymous = server.CreateClientWithKey(null);

        var doc = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        var key = schemes.GetProperty("ApiKey");
        Assert.Equal("apiKey", key.GetProperty("type").GetString());
        Assert.Equal("header", key.GetProperty("in").GetString());
        Assert.Equal("X-API-Key", key.GetProperty("name").GetString());
        var bearer = schemes.GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        // Two alternatives, one scheme each: either credential is enough.
        var alternatives = doc.GetProperty("security").EnumerateArray().Select(r => string.Join("+", r.EnumerateObject().Select(p => p.Name))).ToList();
        Assert.Equal(["ApiKey", "Bearer"], alternatives);

        var info = doc.GetProperty("info");
        Assert.Equal("FfmpegFunctions API", info.GetProperty("title").GetString());
        var introduction = info.GetProperty("description").GetString()!;
        foreach (var expected in new[] { "`X-API-Key`", "Authorization: Bearer", "docs/composition-spec.md", "POST /api/uploads", "POST /api/compositions",
                     "GET /api/compositions/{id}`", "/download" })
            Assert.Contains(expected, introduction, StringComparison.Ordinal);

        // The declared header is the one the guard reads.
        using var keyed = server.CreateClientWithKey(TestKeys.Api);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/compositions")).StatusCode);
    }

    [Fact]
    public async Task OnlyWhatTheServerAcceptsIsDeclaredAndNoKeyIsHandedOutOutsideDevelopment()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var keyOnly = host.Start(engine: false).CreateClientWithKey(null);
        using var open = host.Start(engine: false, extra: new Dictionary<string, string?> { ["Auth:Enabled"] = "false" }).CreateClientWithKey(null);

        var doc = JsonDocument.Parse(await keyOnly.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["ApiKey"], schemes); // no JWT configured: a bearer token would be refused, so it is not offered
        Assert.Single(doc.GetProperty("security").EnumerateArray());
        var page = await keyOnly.GetStringAsync("/docs/");
        Assert.Contains("\"preferredSecurityScheme\":[\"ApiKey\"]", page, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Api, page, StringComparison.Ordinal); // the Testing environment is not Development

        var openDoc = JsonDocument.Parse(await open.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.False(openDoc.TryGetProperty("security", out _));
        Assert.Contains("no key is needed", openDoc.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("healthz", true)]
    [InlineData("console/settings.json", true)]
    [InlineData("api/compositions", false)]
    [InlineData("api/compositions/{id}", false)]
    [InlineData("admin/api-keys", false)]
    [InlineData("metrics", false)]
    public async Task AnOperationOnAnOpenPathOverridesTheDocumentRequirement(string path, bool open)
    {
        var operation = new OpenApiOperation();
        var context = new OpenApiOperationTransformerContext
        {
            DocumentName = "v1",
            Description = new ApiDescription { RelativePath = path, HttpMethod = "GET" },
            ApplicationServices = new ServiceCollection().BuildServiceProvider(),
        };

        await new OpenOperations().TransformAsync(operation, context, CancellationToken.None);

        var json = JsonDocument.Parse(await operation.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None)).RootElement;
        if (open) Assert.Equal(0, json.GetProperty("security").GetArrayLength()); // "security": [] is "no credential"
        else Assert.False(json.TryGetProperty("security", out _)); // inherits the document's requirement
    }
}
