using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Security;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task EveryApiEndpointRefusesRequestsWithoutAKeyOrWithAWrongOne()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count >= 7, $"expected the compositions and uploads endpoints, found {routes.Count}");

        foreach (var key in new[] { null, "not-a-key", ApiKeyHash.NewKey() })
        {
            using var client = api.CreateClientWithKey(key);
            foreach (var (method, route) in routes)
            {
                var path = route.Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" ? JsonContent.Create(new { }) : null };
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with key '{key}' answered {(int)response.StatusCode}");
                Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.ToString());
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task ProbesAndTheApiDescriptionStayOpen()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task MetricsAndAdminNeedTheInternalKeyNotAnApiKey()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        foreach (var path in new[] { "/metrics", "/admin/api-keys" })
        {
            using var anonymous = api.CreateClientWithKey(null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            using var apiKey = api.CreateClient();
            Assert.Equal(HttpStatusCode.Forbidden, (await apiKey.GetAsync(path)).StatusCode);
            using var internalKey = api.CreateClientWithKey(TestKeys.Internal);
            Assert.Equal(HttpStatusCode.OK, (await internalKey.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task ACreatedKeyIsStoredHashedListedAndStopsWorkingEverywhereOnceRevoked()
    {
        await using var host = await PipelineHost.CreateAsync();
        var first = host.Start(engine: false);
        var second = host.Start(engine: false);
        var key = await AdminKeys.CreateAsync(first, "partner-a");

        using var onFirst = first.CreateClientWithKey(key);
        using var onSecond = second.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/compositions")).StatusCode); // now cached there
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM api_keys WHERE name = 'partner-a' AND key_hash = '{ApiKeyHash.Compute(key)}'"));
        Assert.Equal(0, await host.Database.CountAsync($"SELECT count(*) FROM api_keys WHERE key_hash = '{key}'"));

        using var admin = first.CreateClientWithKey(TestKeys.Internal);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/admin/api-keys");
        Assert.Contains(listed.EnumerateArray(), k => k.GetProperty("name").GetString() == "partner-a" && !k.TryGetProperty("key", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/admin/api-keys", new { name = "partner-a" })).StatusCode);

        await AdminKeys.RevokeAsync(first, "partner-a");

        // The instance that revoked it forgets it at once; the other within Auth:CacheDuration (5 s).
        Assert.Equal(HttpStatusCode.Unauthorized, (await onFirst.GetAsync("/api/compositions")).StatusCode);
        var started = DateTime.UtcNow;
        await Eventually.BecomesAsync(async () => (await onSecond.GetAsync("/api/compositions")).StatusCode,
            s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(8), "the revoked key to be refused by the other instance");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(6.5));
    }

    [Fact]
    public async Task TheHubRefusesAConnectionWithoutAKeyAndAcceptsItAsAccessToken()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var anonymous = host.Start(engine: false).CreateClientWithKey(null);
        var negotiate = "/hubs/compositions/negotiate?negotiateVersion=1";

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(negotiate, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(negotiate + "&access_token=" + TestKeys.Api, null)).StatusCode);
    }
}
