using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Tests.Security;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Tenancy;

/// <summary>Two tenants on one instance: each sees only its own compositions, keys, uploads and hub groups.</summary>
public sealed class TenantIsolationTests
{
    [Fact]
    public async Task AnotherTenantsCompositionAnswers404OnEveryRouteAndHubMethodLikeAnUnknownId()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-admin", "acme", "admin"));
        using var globex = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "globex-admin", "globex", "admin"));
        var id = await PipelineHost.CreateAsync(acme, Specs.Simple($"inputs/t/acme/{Guid.NewGuid()}/a.mp4"));
        var unknown = Guid.NewGuid();

        var routes = CompositionRoutes(api);
        Assert.True(routes.Count >= 5, $"expected the per-composition routes, found {routes.Count}");
        foreach (var (method, route) in routes)
        {
            var (theirs, theirBody) = await SendAsync(globex, method, route.Replace("{id:guid}", id.ToString(), StringComparison.Ordinal));
            var (none, noneBody) = await SendAsync(globex, method, route.Replace("{id:guid}", unknown.ToString(), StringComparison.Ordinal));
            Assert.True(theirs == HttpStatusCode.NotFound, $"{method} {route} on another tenant's id answered {(int)theirs}");
            Assert.Equal(none, theirs);
            Assert.Equal(Problem(noneBody).Replace(unknown.ToString(), "ID", StringComparison.Ordinal), Problem(theirBody).Replace(id.ToString(), "ID", StringComparison.Ordinal));
        }
        using var list = await globex.GetFromJsonAsync<JsonDocument>("/api/compositions");
        Assert.Equal(0, list!.RootElement.GetProperty("items").GetArrayLength());

        // Hub: subscribing to another tenant's composition answers like an unknown id and joins nothing.
        await using var hub = HubFor(api, await AdminKeys.CreateAsync(api, "globex-viewer", "globex", "viewer"));
        var events = 0;
        hub.On<JsonElement>("status", _ => Interlocked.Increment(ref events));
        await hub.StartAsync();
        Assert.Null(await hub.InvokeAsync<JsonElement?>("Subscribe", id));
        Assert.Null(await hub.InvokeAsync<JsonElement?>("Subscribe", unknown));

        // Nothing of acme's was touched by globex's cancel and delete; acme still sees and may cancel it.
        Assert.Equal("queued", (await PipelineHost.GetAsync(acme, id)).GetProperty("status").GetString());
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND cancel_requested"));
        using var cancel = await acme.PostAsync($"/api/compositions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Task.Delay(200); // give a wrongly joined group a moment to receive the status event
        Assert.Equal(0, events);
    }

    [Fact]
    public async Task IdempotencyKeysAreKeptPerTenantAndAConflictNeverNamesAnotherTenantsComposition()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));
        using var globex = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor"));

        var acmeId = await PipelineHost.CreateAsync(acme, Specs.Simple("inputs/t/acme/x/a.mp4"), idempotencyKey: "order-1");
        var globexId = await PipelineHost.CreateAsync(globex, Specs.Simple("inputs/t/globex/y/b.mp4"), idempotencyKey: "order-1");
        var acmeAgain = await PipelineHost.CreateAsync(acme, Specs.Simple("inputs/t/acme/x/a.mp4"), idempotencyKey: "order-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/compositions") { Content = JsonContent.Create(Specs.Simple("inputs/t/globex/z/c.mp4")) };
        request.Headers.Add("Idempotency-Key", "order-1");
        using var conflict = await globex.SendAsync(request);
        var body = await conflict.Content.ReadAsStringAsync();

        Assert.NotEqual(acmeId, globexId);
        Assert.Equal(acmeId, acmeAgain);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains(globexId.ToString(), body, StringComparison.Ordinal);
        Assert.DoesNotContain(acmeId.ToString(), body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inputs/t/globex/0195a000-0000-7000-8000-000000000001/b.mp4")] // another tenant's upload
    [InlineData("inputs/0195a000-0000-7000-8000-000000000001/b.mp4")]          // the default tenant's
    [InlineData("outputs/0195a000-0000-7000-8000-000000000001/final.mp4")]     // someone's render
    [InlineData("temp/0195a000-0000-7000-8000-000000000001/final.mp4")]
    public async Task ASourceOutsideTheTenantsOwnUploadsIsRefusedAtCreationNamingTheField(string source)
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));

        using var response = await acme.PostAsJsonAsync("/api/compositions", Specs.Simple(source));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("/clips/0/source", out _));
    }

    [Fact]
    public async Task UploadsLandInTheTenantsFolderAndItsOwnUploadsAndTheSamplesAreAccepted()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-editor", "acme", "editor"));

        using var uploads = await acme.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "clip.mp4", contentType = "video/mp4" } } });
        using var json = JsonDocument.Parse(await uploads.Content.ReadAsStringAsync());
        var key = json.RootElement.GetProperty("uploads")[0].GetProperty("key").GetString()!;

        Assert.StartsWith(StorageKeys.TenantInputsPrefix("acme"), key, StringComparison.Ordinal);
        await PipelineHost.CreateAsync(acme, Specs.Simple(key));
        await PipelineHost.CreateAsync(acme, Specs.Simple(json.RootElement.GetProperty("uploads")[0].GetProperty("uploadId").GetString()!));
        await PipelineHost.CreateAsync(acme, Specs.Simple("inputs/samples/v1/testsrc2.mp4"));
    }

    [Fact]
    public async Task ATenantAdminManagesOnlyItsOwnKeys()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var acme = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-admin", "acme", "admin"));
        await AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor");

        using var created = await acme.PostAsJsonAsync("/api/keys", new { name = "acme-ci", role = "viewer" });
        using var list = await acme.GetFromJsonAsync<JsonDocument>("/api/keys");
        using var foreign = await acme.DeleteAsync("/api/keys/globex-editor");
        using var otherTenant = await acme.PostAsJsonAsync("/api/keys", new { name = "sneaky", tenant = "globex" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["acme-admin", "acme-ci"], list!.RootElement.EnumerateArray().Select(k => k.GetProperty("name").GetString()!).Order());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherTenant.StatusCode);
    }

    internal static List<(string Method, string Route)> CompositionRoutes(ServerFactory api) =>
        [.. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/compositions/{id:guid}", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))];

    /// <summary>The problem's title and detail: what a caller learns (trace ids differ per request).</summary>
    private static string Problem(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("title").GetString() + " | " + json.RootElement.GetProperty("detail").GetString();
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static HubConnection HubFor(ServerFactory api, string key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(api.Server.BaseAddress, CompositionsHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
                o.Headers[TestKeys.Header] = key;
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
}

public sealed class UploadLimitTests
{
    [Fact]
    public async Task NoUploadUrlIsIssuedForAFileOverTheMaximumSize()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: new Dictionary<string, string?> { ["S3:MaxUploadBytes"] = "1000" });
        using var client = api.CreateClient();

        using var tooBig = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "big.mp4", contentType = "video/mp4", size = 1001 } } });
        using var fits = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName = "ok.mp4", contentType = "video/mp4", size = 1000 } } });

        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        using var problem = JsonDocument.Parse(await tooBig.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("/files/0/size", out _));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }
}
