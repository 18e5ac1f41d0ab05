extern alias functions;

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FfmpegFunctions.Tests.Support;
using System.Diagnostics.Metrics;
using functions::FfmpegFunctions.Functions.Http;
using functions::FfmpegFunctions.Functions.Observability;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// Each HTTP function answers as its Server twin: same status, headers and body (problem+json included), on
/// one database. Request ids differ by design (a new one per request) and are compared for presence only.
/// </summary>
public sealed class HttpParityTests : IAsyncLifetime
{
    private readonly CapturedLogs logs = new();
    private FunctionsAppHost host = null!;
    private ServerFactory server = null!;
    private HttpClient serverClient = null!;
    private HttpFunctionInvoker invoker = null!;
    // Creates through the Functions app start nothing here: what is compared is the HTTP answer, not a render.
    private readonly DurableTaskClient idleDurable = IdleClient();

    public async Task InitializeAsync()
    {
        host = await FunctionsAppHost.StartAsync(logs: logs);
        server = new ServerFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = host.Database.ConnectionString,
            ["Workflow:Enabled"] = "false",
        });
        serverClient = server.CreateClient();
        invoker = new HttpFunctionInvoker(host);
    }

    public async Task DisposeAsync()
    {
        serverClient.Dispose();
        await server.DisposeAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task AnInvalidCompositionIsTheSameValidationProblem()
    {
        const string spec = """{"output":{"width":7},"clips":[]}""";
        var functions = await FunctionAsync("CreateComposition", "POST", "/api/compositions", spec, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None));
        var twin = await ServerAsync(HttpMethod.Post, "/api/compositions", spec);

        AssertSameAnswer(twin, functions);
        Assert.Equal(400, functions.Status);
        Assert.Contains("\"errors\"", functions.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateReplayAndConflictAnswerAsOnTheServer()
    {
        var key = "parity-" + Guid.NewGuid().ToString("N");
        var spec = JsonSerializer.Serialize(Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4"));
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };

        var created = await FunctionAsync("CreateComposition", "POST", "/api/compositions", spec, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None), headers);
        Assert.Equal(202, created.Status);
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/compositions/{id}", created.Headers.Location.ToString());

        var replayed = await FunctionAsync("CreateComposition", "POST", "/api/compositions", spec, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None), headers);
        var twinReplayed = await ServerAsync(HttpMethod.Post, "/api/compositions", spec, headers);
        AssertSameAnswer(twinReplayed, replayed, "Location", "Idempotent-Replayed");
        Assert.Equal("true", replayed.Headers["Idempotent-Replayed"].ToString());

        var other = JsonSerializer.Serialize(Specs.Simple("inputs/00000000-0000-0000-0000-000000000002/b.mp4"));
        var conflict = await FunctionAsync("CreateComposition", "POST", "/api/compositions", other, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None), headers);
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, "/api/compositions", other, headers), conflict);
        Assert.Equal(409, conflict.Status);
    }

    [Fact]
    public async Task ReadsAnswerTheSameBodies()
    {
        var id = await CreateAsync();

        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/compositions/{id}"),
            await FunctionAsync("GetComposition", "GET", $"/api/compositions/{id}", null, (f, http) => f.GetAsync(http.Request, id.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/compositions/{id}/steps"),
            await FunctionAsync("GetCompositionSteps", "GET", $"/api/compositions/{id}/steps", null, (f, http) => f.StepsAsync(http.Request, id.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/compositions?limit=5"),
            await FunctionAsync("ListCompositions", "GET", "/api/compositions", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), query: "?limit=5"));
        var download = await FunctionAsync("DownloadComposition", "GET", $"/api/compositions/{id}/download", null, (f, http) => f.DownloadAsync(http.Request, id.ToString(), CancellationToken.None));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/compositions/{id}/download"), download);
        Assert.Equal(409, download.Status);
    }

    [Fact]
    public async Task BadQueriesAndUnknownIdsAreTheSameProblems()
    {
        var unknown = Guid.NewGuid();
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/compositions?limit=0"),
            await FunctionAsync("ListCompositions", "GET", "/api/compositions", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), query: "?limit=0"));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/compositions?status=bogus"),
            await FunctionAsync("ListCompositions", "GET", "/api/compositions", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), query: "?status=bogus"));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/compositions/{unknown}"),
            await FunctionAsync("GetComposition", "GET", $"/api/compositions/{unknown}", null, (f, http) => f.GetAsync(http.Request, unknown.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/compositions/{unknown}/steps"),
            await FunctionAsync("GetCompositionSteps", "GET", $"/api/compositions/{unknown}/steps", null, (f, http) => f.StepsAsync(http.Request, unknown.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, $"/api/compositions/{unknown}/cancel"),
            await FunctionAsync("CancelComposition", "POST", $"/api/compositions/{unknown}/cancel", null, (f, http) => f.CancelAsync(http.Request, idleDurable, unknown.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Delete, $"/api/compositions/{unknown}"),
            await FunctionAsync("DeleteComposition", "DELETE", $"/api/compositions/{unknown}", null, (f, http) => f.DeleteAsync(http.Request, idleDurable, unknown.ToString(), CancellationToken.None)));
    }

    [Fact]
    public async Task CancelAndDeleteAnswerAsOnTheServer()
    {
        var id = await CreateAsync();
        var cancelled = await FunctionAsync("CancelComposition", "POST", $"/api/compositions/{id}/cancel", null, (f, http) => f.CancelAsync(http.Request, host.Client, id.ToString(), CancellationToken.None));
        Assert.Equal(202, cancelled.Status);
        // Cancelling again is answered the same by both hosts.
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, $"/api/compositions/{id}/cancel"),
            await FunctionAsync("CancelComposition", "POST", $"/api/compositions/{id}/cancel", null, (f, http) => f.CancelAsync(http.Request, host.Client, id.ToString(), CancellationToken.None)),
            "Location");

        var other = await CreateAsync();
        var twinDelete = await ServerAsync(HttpMethod.Delete, $"/api/compositions/{other}");
        var deleted = await FunctionAsync("DeleteComposition", "DELETE", $"/api/compositions/{id}", null, (f, http) => f.DeleteAsync(http.Request, host.Client, id.ToString(), CancellationToken.None));
        AssertSameAnswer(twinDelete, deleted);
        Assert.Equal(204, deleted.Status);
    }

    [Fact]
    public async Task UploadsAnswerTheSameProblemsForBrokenBodies()
    {
        foreach (var body in new[] { "{not json", """{"files":[]}""" })
        {
            AssertSameAnswer(await ServerAsync(HttpMethod.Post, "/api/uploads", body),
                await FunctionAsync<UploadsFunctions>("CreateUploads", "POST", "/api/uploads", body, (f, http) => f.CreateAsync(http.Request, CancellationToken.None)));
        }
    }

    [Fact]
    public async Task UnstorableTextAndUnusableUploadTypesAreTheSameProblems()
    {
        var title = JsonSerializer.Serialize(Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4", title: "a\u0000b"));
        var functions = await FunctionAsync("CreateComposition", "POST", "/api/compositions", title, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None));
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, "/api/compositions", title), functions);
        Assert.Equal(400, functions.Status);

        foreach (var body in new[]
        {
            """{"files":[{"fileName":"logo.svg","contentType":"image/svg+xml"}]}""",
            """{"files":[{"fileName":"a\u0000.mp4","contentType":"video/mp4"}]}""",
            """{"files":[{"fileName":"a.mp4","contentType":"video/mp4","size":1e20}]}""",
            """{"files":[{"fileName":"subs.srt","contentType":"text/plain; charset=utf-8"}]}""",
        })
        {
            var upload = await FunctionAsync<UploadsFunctions>("CreateUploads", "POST", "/api/uploads", body, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));
            var twin = await ServerAsync(HttpMethod.Post, "/api/uploads", body);
            Assert.Equal(twin.Status, upload.Status);
            if (upload.Status == 400) AssertSameAnswer(twin, upload); // a 200 differs by its new upload ids and signatures
        }
    }

    [Fact]
    public async Task WithoutAValidApiKeyTheGuardAnswers401BeforeTheFunctionRuns()
    {
        foreach (var key in new string?[] { null, "not-a-key" })
        {
            var headers = key is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [TestKeys.Header] = key };
            var functions = await FunctionAsync("ListCompositions", "GET", "/api/compositions", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), headers, withKey: false);
            using var keyless = server.CreateClientWithKey(key);
            var twin = await SendAsync(keyless, HttpMethod.Get, "/api/compositions", null, null);

            Assert.False(functions.FunctionRan);
            AssertSameAnswer(twin, functions, "WWW-Authenticate");
            Assert.Equal(401, functions.Status);
        }
    }

    [Fact]
    public async Task AClientRequestIdIsEchoedAndEndsUpInProblems()
    {
        var headers = new Dictionary<string, string> { ["X-Request-ID"] = "client-req.42" };
        var unknown = Guid.NewGuid();
        var functions = await FunctionAsync("GetComposition", "GET", $"/api/compositions/{unknown}", null, (f, http) => f.GetAsync(http.Request, unknown.ToString(), CancellationToken.None), headers);

        Assert.Equal("client-req.42", functions.Headers["X-Request-ID"].ToString());
        Assert.Equal("client-req.42", JsonDocument.Parse(functions.Body).RootElement.GetProperty("requestId").GetString());
        var fresh = await FunctionAsync("GetComposition", "GET", $"/api/compositions/{unknown}", null, (f, http) => f.GetAsync(http.Request, unknown.ToString(), CancellationToken.None),
            new Dictionary<string, string> { ["X-Request-ID"] = "has spaces" });
        Assert.NotEqual("has spaces", fresh.Headers["X-Request-ID"].ToString()); // unsafe ids are replaced
        Assert.Equal(32, fresh.Headers["X-Request-ID"].ToString().Length);
    }

    [Fact]
    public async Task EveryRequestIsLoggedOnceAndCountedInTheMeter()
    {
        var measured = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FunctionsMetrics.MeterName && instrument.Name == "http_requests") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (measured) measured.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
        listener.Start();
        var unknown = Guid.NewGuid();

        var answer = await FunctionAsync("GetComposition", "GET", $"/api/compositions/{unknown}", null, (f, http) => f.GetAsync(http.Request, unknown.ToString(), CancellationToken.None),
            new Dictionary<string, string> { ["X-Request-ID"] = "log-me-1" });

        Assert.Equal(404, answer.Status);
        var line = Assert.Single(logs.Entries, e => e.Message.StartsWith($"HTTP GET /api/compositions/{unknown} answered 404", StringComparison.Ordinal));
        Assert.Equal("log-me-1", line.Fields["request_id"]);
        lock (measured)
            Assert.Contains(measured, m => m.Value == 1 && (string?)m.Tags["function"] == "GetComposition" && (int?)m.Tags["code"] == 404);
    }

    [Fact]
    public async Task TemplateRoutesAnswerAsOnTheServer()
    {
        const string template = """{"name":"t","spec":{"title":"{{title}}","clips":[{"source":"inputs/00000000-0000-0000-0000-000000000001/a.mp4","duration":2}]}}""";
        var created = await FunctionAsync<TemplatesFunctions>("CreateTemplate", "POST", "/api/templates", template, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));
        var twin = await ServerAsync(HttpMethod.Post, "/api/templates", template);
        Assert.Equal(201, created.Status);
        AssertSameAnswer(twin, created, "Location");
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetGuid();

        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/templates/{id}"),
            await FunctionAsync<TemplatesFunctions>("GetTemplate", "GET", $"/api/templates/{id}", null, (f, http) => f.GetAsync(http.Request, id.ToString(), CancellationToken.None)));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/templates/{id}?version=0"),
            await FunctionAsync<TemplatesFunctions>("GetTemplate", "GET", $"/api/templates/{id}", null, (f, http) => f.GetAsync(http.Request, id.ToString(), CancellationToken.None), query: "?version=0"));
        const string missing = """{"values":{}}""";
        var incomplete = await FunctionAsync<TemplatesFunctions>("RenderTemplate", "POST", $"/api/templates/{id}/render", missing,
            (f, http) => f.RenderAsync(http.Request, idleDurable, id.ToString(), CancellationToken.None));
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, $"/api/templates/{id}/render", missing), incomplete);
        Assert.Equal(400, incomplete.Status);
        var unknown = Guid.NewGuid();
        AssertSameAnswer(await ServerAsync(HttpMethod.Put, $"/api/templates/{unknown}", template),
            await FunctionAsync<TemplatesFunctions>("UpdateTemplate", "PUT", $"/api/templates/{unknown}", template, (f, http) => f.UpdateAsync(http.Request, unknown.ToString(), CancellationToken.None)));
    }

    [Fact]
    public async Task UploadRoutesAnswerAsOnTheServer()
    {
        const string request = """{"files":[{"fileName":"a.mp4","contentType":"video/mp4","size":10}]}""";
        async Task<Guid> PresignAsync()
        {
            var created = await FunctionAsync<UploadsFunctions>("CreateUploads", "POST", "/api/uploads", request, (f, http) => f.CreateAsync(http.Request, CancellationToken.None));
            Assert.Equal(200, created.Status);
            return JsonDocument.Parse(created.Body).RootElement.GetProperty("uploads")[0].GetProperty("uploadId").GetGuid();
        }
        var id = await PresignAsync();
        var other = await PresignAsync();

        foreach (var query in new[] { "?limit=5", "?limit=0", "?cursor=nope", "" })
        {
            AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/uploads" + query),
                await FunctionAsync<UploadsFunctions>("ListUploads", "GET", "/api/uploads", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), query: query));
        }
        var listed = await FunctionAsync<UploadsFunctions>("ListUploads", "GET", "/api/uploads", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None));
        Assert.Contains(id.ToString(), listed.Body, StringComparison.Ordinal);
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/uploads/{id}"),
            await FunctionAsync<UploadsFunctions>("GetUpload", "GET", $"/api/uploads/{id}", null, (f, http) => f.GetAsync(http.Request, id.ToString(), CancellationToken.None)));
        // Nothing was PUT: 409 from both.
        var early = await FunctionAsync<UploadsFunctions>("CompleteUpload", "POST", $"/api/uploads/{id}/complete", null,
            (f, http) => f.CompleteAsync(http.Request, id.ToString(), CancellationToken.None));
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, $"/api/uploads/{id}/complete"), early);
        Assert.Equal(409, early.Status);

        foreach (var unknown in new[] { Guid.NewGuid().ToString(), "42" })
        {
            AssertSameAnswer(await ServerAsync(HttpMethod.Get, $"/api/uploads/{unknown}"),
                await FunctionAsync<UploadsFunctions>("GetUpload", "GET", $"/api/uploads/{unknown}", null, (f, http) => f.GetAsync(http.Request, unknown, CancellationToken.None)));
            AssertSameAnswer(await ServerAsync(HttpMethod.Post, $"/api/uploads/{unknown}/complete"),
                await FunctionAsync<UploadsFunctions>("CompleteUpload", "POST", $"/api/uploads/{unknown}/complete", null, (f, http) => f.CompleteAsync(http.Request, unknown, CancellationToken.None)));
            AssertSameAnswer(await ServerAsync(HttpMethod.Delete, $"/api/uploads/{unknown}"),
                await FunctionAsync<UploadsFunctions>("DeleteUpload", "DELETE", $"/api/uploads/{unknown}", null, (f, http) => f.DeleteAsync(http.Request, unknown, CancellationToken.None)));
        }

        var twinDelete = await ServerAsync(HttpMethod.Delete, $"/api/uploads/{other}");
        var deleted = await FunctionAsync<UploadsFunctions>("DeleteUpload", "DELETE", $"/api/uploads/{id}", null, (f, http) => f.DeleteAsync(http.Request, id.ToString(), CancellationToken.None));
        AssertSameAnswer(twinDelete, deleted);
        Assert.Equal(204, deleted.Status);
    }

    [Fact]
    public async Task TemplateListAndDeleteAnswerAsOnTheServer()
    {
        const string template = """{"name":"t","spec":{"title":"{{title}}","clips":[{"source":"inputs/00000000-0000-0000-0000-000000000001/a.mp4"}]}}""";
        async Task<Guid> CreateTemplateAsync() => JsonDocument.Parse((await FunctionAsync<TemplatesFunctions>("CreateTemplate", "POST", "/api/templates", template,
            (f, http) => f.CreateAsync(http.Request, CancellationToken.None))).Body).RootElement.GetProperty("id").GetGuid();
        var id = await CreateTemplateAsync();
        var other = await CreateTemplateAsync();

        foreach (var query in new[] { "?limit=1", "?limit=500", "?cursor=nope", "" })
        {
            AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/templates" + query),
                await FunctionAsync<TemplatesFunctions>("ListTemplates", "GET", "/api/templates", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), query: query));
        }
        foreach (var unknown in new[] { Guid.NewGuid().ToString(), "42" })
        {
            AssertSameAnswer(await ServerAsync(HttpMethod.Delete, $"/api/templates/{unknown}"),
                await FunctionAsync<TemplatesFunctions>("DeleteTemplate", "DELETE", $"/api/templates/{unknown}", null, (f, http) => f.DeleteAsync(http.Request, unknown, CancellationToken.None)));
        }
        var twinDelete = await ServerAsync(HttpMethod.Delete, $"/api/templates/{other}");
        var deleted = await FunctionAsync<TemplatesFunctions>("DeleteTemplate", "DELETE", $"/api/templates/{id}", null, (f, http) => f.DeleteAsync(http.Request, id.ToString(), CancellationToken.None));
        AssertSameAnswer(twinDelete, deleted);
        Assert.Equal(204, deleted.Status);
    }

    private async Task<Guid> CreateAsync()
    {
        var spec = JsonSerializer.Serialize(Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/a.mp4"));
        var created = await FunctionAsync("CreateComposition", "POST", "/api/compositions", spec, (f, http) => f.CreateAsync(http.Request, idleDurable, CancellationToken.None));
        Assert.Equal(202, created.Status);
        return JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task AnOperatorMintsTheFirstAdminKeyWithTheInternalKeyAndTheTenantAdminManagesItsOwn()
    {
        var asInternal = new Dictionary<string, string> { [TestKeys.Header] = TestKeys.Internal };
        var first = await FunctionAsync<KeysFunctions>("AdminCreateKey", "POST", "/api/admin/api-keys", """{"name":"acme-admin","tenant":"acme","role":"admin"}""",
            (f, http) => f.AdminCreateAsync(http.Request, CancellationToken.None), asInternal, withKey: false);
        Assert.Equal(201, first.Status);
        var adminKey = JsonDocument.Parse(first.Body).RootElement.GetProperty("key").GetString()!;
        var asAdmin = new Dictionary<string, string> { [TestKeys.Header] = adminKey };

        var created = await FunctionAsync<KeysFunctions>("CreateKey", "POST", "/api/keys", """{"name":"acme-ci"}""",
            (f, http) => f.CreateAsync(http.Request, CancellationToken.None), asAdmin, withKey: false);
        Assert.Equal(201, created.Status);
        Assert.Equal("acme", JsonDocument.Parse(created.Body).RootElement.GetProperty("tenant").GetString());
        var listed = await FunctionAsync<KeysFunctions>("ListKeys", "GET", "/api/keys", null, (f, http) => f.ListAsync(http.Request, CancellationToken.None), asAdmin, withKey: false);
        var names = JsonDocument.Parse(listed.Body).RootElement.EnumerateArray().Select(k => k.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["acme-admin", "acme-ci"], names);
        var revoked = await FunctionAsync<KeysFunctions>("RevokeKey", "DELETE", "/api/keys/acme-ci", null,
            (f, http) => f.RevokeAsync(http.Request, "acme-ci", CancellationToken.None), asAdmin, withKey: false);
        Assert.Equal(204, revoked.Status);

        // A tenant admin cannot reach the operator's routes; broken bodies and unknown keys answer as on the Server.
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/admin/api-keys", headers: asAdmin),
            await FunctionAsync<KeysFunctions>("AdminListKeys", "GET", "/api/admin/api-keys", null, (f, http) => f.AdminListAsync(http.Request, CancellationToken.None), asAdmin, withKey: false));
        AssertSameAnswer(await ServerAsync(HttpMethod.Post, "/api/keys", """{"name": 5}""", asAdmin),
            await FunctionAsync<KeysFunctions>("CreateKey", "POST", "/api/keys", """{"name": 5}""", (f, http) => f.CreateAsync(http.Request, CancellationToken.None), asAdmin, withKey: false));
        AssertSameAnswer(await ServerAsync(HttpMethod.Delete, "/api/keys/nobody", headers: asAdmin),
            await FunctionAsync<KeysFunctions>("RevokeKey", "DELETE", "/api/keys/nobody", null, (f, http) => f.RevokeAsync(http.Request, "nobody", CancellationToken.None), asAdmin, withKey: false));
    }

    [Fact]
    public async Task AMalformedIdIsTheServersProblemNotTheHostsEmpty404()
    {
        var functions = await FunctionAsync("GetComposition", "GET", "/api/compositions/not-a-guid", null, (f, http) => f.GetAsync(http.Request, "not-a-guid", CancellationToken.None));
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/compositions/not-a-guid"), functions);
        Assert.Equal(404, functions.Status);
        Assert.Equal("application/problem+json", functions.Headers.ContentType.ToString());
        AssertSameAnswer(await ServerAsync(HttpMethod.Get, "/api/templates/42"),
            await FunctionAsync<TemplatesFunctions>("GetTemplate", "GET", "/api/templates/42", null, (f, http) => f.GetAsync(http.Request, "42", CancellationToken.None)));
    }

    [Fact]
    public async Task HealthAndReadinessAnswerWithoutAKey()
    {
        foreach (var (name, path, ready) in new[] { ("Healthz", "/api/healthz", false), ("Readyz", "/api/readyz", true) })
        {
            var answer = await FunctionAsync<HealthFunctions>(name, "GET", path, null,
                (f, http) => ready ? f.ReadyzAsync(http.Request, CancellationToken.None) : f.HealthzAsync(http.Request, CancellationToken.None), withKey: false);
            var twin = await ServerAsync(HttpMethod.Get, path[4..]);
            Assert.Equal(200, answer.Status);
            Assert.Equal(twin.Status, answer.Status);
            var checks = JsonDocument.Parse(answer.Body).RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(JsonDocument.Parse(twin.Body).RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal), checks);
            if (ready) Assert.Contains("postgres", checks);
        }
    }

    private Task<FunctionResponse> FunctionAsync(string name, string method, string path, string? body,
        Func<CompositionsFunctions, Microsoft.AspNetCore.Http.HttpContext, Task<IActionResult>> function,
        IDictionary<string, string>? headers = null, bool withKey = true, string? query = null) =>
        FunctionAsync<CompositionsFunctions>(name, method, path, body, function, headers, withKey, query);

    private Task<FunctionResponse> FunctionAsync<T>(string name, string method, string path, string? body,
        Func<T, Microsoft.AspNetCore.Http.HttpContext, Task<IActionResult>> function,
        IDictionary<string, string>? headers = null, bool withKey = true, string? query = null)
    {
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>());
        if (withKey) all.TryAdd(TestKeys.Header, TestKeys.Api);
        var http = host.NewHttpContext(method, path, body, query, all);
        return invoker.InvokeAsync(name, http, () => function(host.Create<T>(), http));
    }

    private Task<FunctionResponse> ServerAsync(HttpMethod method, string path, string? body = null, IDictionary<string, string>? headers = null) =>
        SendAsync(serverClient, method, path, body, headers);

    private static async Task<FunctionResponse> SendAsync(HttpClient client, HttpMethod method, string path, string? body, IDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        using var response = await client.SendAsync(request);
        var all = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers)) all[name] = values.ToArray();
        return new FunctionResponse((int)response.StatusCode, all, await response.Content.ReadAsStringAsync(), true);
    }

    /// <summary>Status, content type, the named headers and the body, after taking out what is per request or per row.</summary>
    private static void AssertSameAnswer(FunctionResponse server, FunctionResponse functions, params string[] headers)
    {
        Assert.Equal(server.Status, functions.Status);
        Assert.Equal(server.Headers.ContentType.ToString(), functions.Headers.ContentType.ToString());
        Assert.False(string.IsNullOrEmpty(functions.Headers["X-Request-ID"].ToString()), "the function's answer carries X-Request-ID");
        foreach (var header in headers)
            Assert.Equal(Normalize(server.Headers[header].ToString()), Normalize(functions.Headers[header].ToString()));
        Assert.Equal(NormalizeBody(server.Body), NormalizeBody(functions.Body));
    }

    private static string Normalize(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");

    private static string NormalizeBody(string body)
    {
        if (body.Length == 0) return body;
        var node = JsonNode.Parse(body);
        Strip(node);
        return Normalize(node!.ToJsonString());
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in new[] { "requestId", "traceId", "createdAt", "updatedAt", "completedAt", "expiresAt" }) obj.Remove(name);
                foreach (var (_, child) in obj) Strip(child);
                break;
            case JsonArray array:
                foreach (var child in array) Strip(child);
                break;
        }
    }

    private static DurableTaskClient IdleClient()
    {
        var client = new Mock<DurableTaskClient>("idle");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options?.InstanceId ?? "");
        return client.Object;
    }
}
