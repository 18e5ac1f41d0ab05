using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Compositions;

/// <summary>
/// The error body docs/composition-spec.md shows is the one the Server sends: the documented request goes to a real
/// Server and the answer is compared with the documented body, member for member (the request and trace ids differ by nature).
/// </summary>
public sealed partial class DocumentedErrorBodyTests
{
    [Fact]
    public async Task TheDocumentedRequestGetsTheDocumentedProblem()
    {
        var docs = File.ReadAllText(RepoFiles.Path("docs", "composition-spec.md"));
        var errors = docs[docs.IndexOf("## Errors\n", StringComparison.Ordinal)..];
        var request = CurlBody().Match(errors).Groups[1].Value;
        var documented = JsonNode.Parse(HttpBody().Match(errors).Groups[1].Value)!.AsObject();
        Assert.NotEmpty(request);

        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        using var response = await client.PostAsync("/api/compositions", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(documented.Select(m => m.Key).Order(), actual.Select(m => m.Key).Order());
        string[] perRequest = ["requestId", "traceId"];
        foreach (var (name, value) in documented.Where(m => !perRequest.Contains(m.Key)))
            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"{name}: documented {value?.ToJsonString()}, sent {actual[name]?.ToJsonString()}");
        Assert.All(perRequest, name => Assert.Equal(JsonValueKind.String, actual[name]!.GetValueKind()));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [GeneratedRegex(@"^```sh\n.*?-d '(\{.*?\})'\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CurlBody();

    [GeneratedRegex(@"^```http\n.*?\n\n(\{.*?^\})\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HttpBody();
}
