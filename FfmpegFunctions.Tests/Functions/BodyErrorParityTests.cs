extern alias functions;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>Both hosts, one database: the Server in-process and the Functions app's HTTP functions invoked as the worker does.</summary>
public sealed class BodyErrorHosts : IAsyncLifetime
{
    public FunctionsAppHost Functions { get; private set; } = null!;
    public ServerFactory Server { get; private set; } = null!;
    public HttpClient ServerClient { get; private set; } = null!;
    public HttpFunctionInvoker Invoker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Functions = await FunctionsAppHost.StartAsync();
        Server = new ServerFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Functions.Database.ConnectionString,
            ["Workflow:Enabled"] = "false",
        });
        ServerClient = Server.CreateClient();
        Invoker = new HttpFunctionInvoker(Functions);
    }

    public async Task DisposeAsync()
    {
        ServerClient.Dispose();
        await Server.DisposeAsync();
        await Functions.DisposeAsync();
    }
}

/// <summary>
/// Issue 22 item 6, errors in plain words: malformed JSON says what and where (line, column) without the reader's
/// vocabulary, an empty body and a missing or wrong content type are problem+json with their own titles, an unknown
/// transition lists the allowed ones, and an invalid member causes no derived errors on others. Each answer is pinned,
/// and the Server and the Functions app must give the same one.
/// </summary>
public sealed class BodyErrorParityTests(BodyErrorHosts hosts) : IClassFixture<BodyErrorHosts>
{
    private const string Json = "application/json";
    private readonly DurableTaskClient idleDurable = new Mock<DurableTaskClient>("idle").Object;

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "{\"title\": \"a\" \"b\"}", "The body is not valid JSON: '\"' is invalid after a value; expected either ',', '}', or ']' at line 1, column 15." },
        // The column counts characters: "é" is two bytes before the fault.
        { "{\n  \"title\": \"héllo\" x\n}", "The body is not valid JSON: 'x' is invalid after a value; expected either ',', '}', or ']' at line 2, column 20." },
        { "{\"title\": \"x\"", "The body is not valid JSON: the body ends before every object or array is closed at line 1, column 14." },
        { "{\"title\": \"x\" } {}", "The body is not valid JSON: '{' after the end of the JSON value (send one value) at line 1, column 17." },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedJsonSaysWhatAndWhereInBothHosts(string body, string expected)
    {
        var answer = await CreateCompositionAsync(body, Json);

        Assert.Equal(400, answer.Status);
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Equal("The body is not valid JSON.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(expected, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(expected, problem.RootElement.GetProperty("errors").GetProperty("").EnumerateArray().Single().GetString());
        AssertNoReaderJargon(answer.Body);
    }

    [Fact]
    public async Task ATrailingCommaIsNamedWithoutReaderOptions()
    {
        var answer = await CreateCompositionAsync("{\"title\": \"x\",}", Json);

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("The body is not valid JSON: a comma before the closing '}' at line 1, column ",
            JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoReaderJargon(answer.Body);
    }

    [Fact]
    public async Task AnEmptyBodyIsAProblemSayingSo()
    {
        var answer = await CreateCompositionAsync("", Json);

        Assert.Equal(400, answer.Status);
        AssertProblem(answer, "The request body is empty.", "Send a composition as JSON with Content-Type: application/json.");
    }

    [Fact]
    public async Task AMissingContentTypeIsAProblemNotABare415()
    {
        var answer = await CreateCompositionAsync("{}", contentType: null);

        Assert.Equal(415, answer.Status);
        AssertProblem(answer, "The request has no Content-Type.", "Send the body as JSON with the header Content-Type: application/json.");
    }

    [Fact]
    public async Task AWrongContentTypeIsAProblemNamingIt()
    {
        var answer = await CreateCompositionAsync("{}", "text/plain; charset=utf-8");

        Assert.Equal(415, answer.Status);
        AssertProblem(answer, "The body must be JSON (Content-Type: application/json).",
            "The request says Content-Type: text/plain; charset=utf-8; send the body as UTF-8 JSON with Content-Type: application/json.");
    }

    [Fact]
    public async Task AnUnknownTransitionListsTheAllowedOnes()
    {
        var spec = JsonSerializer.SerializeToNode(Specs.TwoClipsWithFade("inputs/00000000-0000-0000-0000-000000000001/a.mp4", "inputs/00000000-0000-0000-0000-000000000001/b.mp4"))!;
        spec["clips"]![0]!["transition"]!["type"] = "zoomy";

        var errors = await ValidationErrorsAsync(spec);

        Assert.Equal(["/clips/0/transition/type"], errors.Keys);
        Assert.Equal(
            "must be one of: circleclose, circlecrop, circleopen, diagbl, diagbr, diagtl, diagtr, dissolve, distance, fade, fadeblack, fadegrays, "
            + "fadewhite, hblur, hlslice, horzclose, horzopen, hrslice, pixelize, radial, rectcrop, slidedown, slideleft, slideright, slideup, "
            + "smoothdown, smoothleft, smoothright, smoothup, squeezeh, squeezev, vdslice, vertclose, vertopen, vuslice, wipedown, wipeleft, wiperight, wipeup.",
            Assert.Single(errors["/clips/0/transition/type"]));
    }

    [Fact]
    public async Task AnUnknownEnumStringListsTheAllowedValues()
    {
        var spec = JsonSerializer.SerializeToNode(Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4"))!;
        spec["output"]!["format"] = "avi";

        var errors = await ValidationErrorsAsync(spec);

        Assert.Equal(["/output/format"], errors.Keys);
        var message = Assert.Single(errors["/output/format"]);
        Assert.StartsWith("must be one of: ", message, StringComparison.Ordinal);
        Assert.Contains("mp4", message, StringComparison.Ordinal);
        Assert.Contains("webm", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvertedTrimIsTheOnlyErrorNoFadeOrTransitionFollowsFromIt()
    {
        var spec = JsonSerializer.SerializeToNode(Specs.TwoClipsWithFade("inputs/00000000-0000-0000-0000-000000000001/a.mp4", "inputs/00000000-0000-0000-0000-000000000001/b.mp4"))!;
        spec["clips"]![0]!["trim"] = new JsonObject { ["start"] = 3, ["end"] = 1 };
        spec["clips"]![1]!["trim"] = new JsonObject { ["start"] = 3, ["end"] = 1 };

        var errors = await ValidationErrorsAsync(spec);

        Assert.Equal(["/clips/0/trim/end", "/clips/1/trim/end"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("must be after trim.start.", Assert.Single(errors["/clips/0/trim/end"]));
    }

    [Fact]
    public async Task UploadsTemplatesAndKeysAnswerMalformedJsonAlike()
    {
        const string body = "{\"files\": [}";
        const string expected = "The body is not valid JSON: '}' is an invalid start of a value at line 1, column 12.";

        var uploads = await BothAsync<UploadsFunctions>("CreateUploads", "/api/uploads", body, Json, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));
        var templates = await BothAsync<TemplatesFunctions>("CreateTemplate", "/api/templates", body, Json, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));
        var keys = await BothAsync<KeysFunctions>("CreateKey", "/api/keys", body, Json, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));

        foreach (var answer in new[] { uploads, templates, keys })
        {
            Assert.Equal(400, answer.Status);
            Assert.Equal(expected, JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task AWrongTypeInAnUploadRequestNamesThePointerNotADotNetType()
    {
        var answer = await BothAsync<UploadsFunctions>("CreateUploads", "/api/uploads", "{\"files\": [{\"fileName\": 7}]}", Json,
            (f, http) => f.CreateAsync(http.Request, CancellationToken.None));

        Assert.Equal(400, answer.Status);
        var errors = JsonDocument.Parse(answer.Body).RootElement.GetProperty("errors");
        Assert.Equal("has the wrong JSON type: the body must be {\"files\": [{\"fileName\": \"clip.mp4\", \"contentType\": \"video/mp4\", \"size\": bytes}]}.",
            errors.GetProperty("/files/0/fileName").EnumerateArray().Single().GetString());
        Assert.DoesNotContain("System.", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocumentStillDescribesTheJsonBodies()
    {
        // AcceptsJson<T>() replaced Accepts<T>() (whose routing rule answered a bare 415): the document must not lose the bodies.
        using var document = JsonDocument.Parse(await hosts.ServerClient.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/compositions", "/api/uploads", "/api/templates", "/api/templates/{id}/render" })
        {
            var body = paths.GetProperty(path).GetProperty("post").GetProperty("requestBody");
            Assert.True(body.GetProperty("required").GetBoolean(), path);
            Assert.True(body.GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _), path);
        }
    }

    private async Task<Dictionary<string, string[]>> ValidationErrorsAsync(JsonNode spec)
    {
        var answer = await CreateCompositionAsync(spec.ToJsonString(), Json);
        Assert.Equal(400, answer.Status);
        return JsonSerializer.Deserialize<Dictionary<string, string[]>>(JsonDocument.Parse(answer.Body).RootElement.GetProperty("errors").GetRawText())!;
    }

    private Task<FunctionResponse> CreateCompositionAsync(string body, string? contentType) =>
        BothAsync<CompositionsFunctions>("CreateComposition", "/api/compositions", body, contentType,
            (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None));

    /// <summary>Sends the same request to both hosts, asserts they answer alike, and returns the Functions app's answer.</summary>
    private async Task<FunctionResponse> BothAsync<T>(string name, string path, string body, string? contentType,
        Func<T, Microsoft.AspNetCore.Http.HttpContext, Task<IActionResult>> function)
    {
        var http = hosts.Functions.NewHttpContext("POST", path, body, headers: new Dictionary<string, string> { [TestKeys.Header] = TestKeys.Api });
        http.Request.ContentType = contentType;
        var functions = await hosts.Invoker.InvokeAsync(name, http, () => function(hosts.Functions.Create<T>(), http));

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await hosts.ServerClient.SendAsync(request);
        var server = new FunctionResponse((int)response.StatusCode, new Microsoft.AspNetCore.Http.HeaderDictionary(), await response.Content.ReadAsStringAsync(), true);

        Assert.Equal(server.Status, functions.Status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", functions.Headers.ContentType.ToString().Split(';')[0]);
        Assert.Equal(Comparable(server.Body), Comparable(functions.Body));
        return functions;
    }

    /// <summary>The body without what differs per request by design (ids of the request and the trace).</summary>
    private static string Comparable(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node.Remove("requestId");
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static void AssertProblem(FunctionResponse answer, string title, string detail)
    {
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(answer.Status, problem.RootElement.GetProperty("status").GetInt32());
    }

    private static void AssertNoReaderJargon(string body)
    {
        foreach (var jargon in new[] { "reader options", "isFinalBlock", "LineNumber", "BytePositionInLine", "JSON payload", "JSON tokens" })
            Assert.DoesNotContain(jargon, body, StringComparison.OrdinalIgnoreCase);
    }
}
