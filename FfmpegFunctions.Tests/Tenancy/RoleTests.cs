using System.Net;
using System.Net.Http.Json;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Tests.Security;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Tenancy;

/// <summary>viewer reads, editor also changes, admin also manages keys: on every /api route, for keys of each role.</summary>
public sealed class RoleTests
{
    [Fact]
    public async Task EveryApiRouteAnswersForbiddenExactlyWhenTheCallersRoleIsBelowWhatItNeeds()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .Distinct().ToList();
        Assert.Contains(routes, r => r.Route.StartsWith("/api/keys", StringComparison.Ordinal));
        Assert.True(routes.Count >= 11, $"expected compositions, uploads, samples and keys routes, found {routes.Count}");

        foreach (var role in new[] { Role.Viewer, Role.Editor, Role.Admin })
        {
            var name = Tenants.Name(role);
            using var client = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "acme-" + name, "acme", name));
            foreach (var (method, route) in routes)
            {
                var path = route.Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{name}", "nobody", StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" ? JsonContent.Create(new { }) : null };
                using var response = await client.SendAsync(request);
                var needed = ApiRequestGuard.RequiredRole(method, path);
                var expectForbidden = role < needed;
                Assert.True(expectForbidden == (response.StatusCode == HttpStatusCode.Forbidden),
                    $"{name} {method} {path} (needs {Tenants.Name(needed)}) answered {(int)response.StatusCode}");
                // Spot-check the table itself: reads are for viewers, changes for editors, keys for admins.
                var expected = path.StartsWith("/api/keys", StringComparison.Ordinal) ? Role.Admin : method == "GET" ? Role.Viewer : Role.Editor;
                Assert.Equal(expected, needed);
            }
        }

        // The hub is a read: a viewer connects and subscribes.
        await using var hub = TenantIsolationTests.HubFor(api, await AdminKeys.CreateAsync(api, "acme-hub", "acme", "viewer"));
        await hub.StartAsync();
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task KeysMadeBeforeRolesKeepWhatTheyCouldDoAndAnUnknownRoleIsRefused()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var legacy = api.CreateClientWithKey(await AdminKeys.CreateAsync(api, "legacy"));
        using var admin = api.CreateClientWithKey(TestKeys.Internal);

        var id = await PipelineHost.CreateAsync(legacy, Specs.Simple($"inputs/{Guid.NewGuid()}/a.mp4"));
        using var bad = await admin.PostAsJsonAsync("/admin/api-keys", new { name = "odd", role = "owner" });

        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var forbidden = await legacy.GetAsync("/api/keys");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}

public sealed class RoleTableTests
{
    [Theory]
    [InlineData("GET", "/api/compositions", Role.Viewer)]
    [InlineData("POST", "/api/compositions", Role.Editor)]
    [InlineData("DELETE", "/api/compositions/0195a000-0000-7000-8000-000000000001", Role.Editor)]
    [InlineData("POST", "/api/uploads", Role.Editor)]
    [InlineData("GET", "/api/keys", Role.Admin)]
    [InlineData("DELETE", "/api/keys/ci", Role.Admin)]
    [InlineData("POST", "/hubs/compositions/negotiate", Role.Viewer)]
    [InlineData("POST", "/api/negotiate", Role.Viewer)]                                                           // the Functions app's
    [InlineData("POST", "/api/compositions/0195a000-0000-7000-8000-000000000001/subscribe", Role.Viewer)]      // the Functions app's
    public void OneRouteTableDecidesForBothHosts(string method, string path, Role expected) =>
        Assert.Equal(expected, ApiRequestGuard.RequiredRole(method, path));
}
