using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace FfmpegFunctions.Tests.Security;

/// <summary>Who a request acts for: only a caller the guard admitted, never a default tenant filled in for a missing one.</summary>
public sealed class CallerTests
{
    [Fact]
    public void ARequestWithoutAnAdmittedCallerHasNoTenant()
    {
        var anonymous = new DefaultHttpContext();
        var unauthenticated = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("ffmpegfunctions:tenant", "acme")])) };

        Assert.Throws<MissingCallerException>(() => Tenants.Of(anonymous));
        Assert.Throws<MissingCallerException>(() => Tenants.Of(unauthenticated));
        Assert.Null(ApiKeyIdentity.From(anonymous.User));
    }

    [Fact]
    public void AnAdmittedCallerTravelsInTheRequestsUser()
    {
        var admitted = new DefaultHttpContext();
        new ApiKeyIdentity("ci", false, "acme", Role.Viewer).AttachTo(admitted);
        // What long polling hands the hub: a fresh request that keeps only the user.
        var copy = new DefaultHttpContext { User = admitted.User };

        Assert.Equal(new ApiKeyIdentity("ci", false, "acme", Role.Viewer), ApiKeyIdentity.From(copy.User));
        Assert.Equal("acme", Tenants.Of(copy));
    }

    [Fact]
    public async Task WithAuthenticationOffEveryRequestActsAsTheConfiguredTenant()
    {
        await using var host = await PipelineHost.CreateAsync();
        var port = Ports.Free();
        host.StartListening(port, engine: false, extra: new Dictionary<string, string?> { ["Auth:Enabled"] = "false", ["Auth:BootstrapTenant"] = "acme" });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var created = await client.PostAsJsonAsync("/api/compositions", Specs.Simple($"inputs/t/acme/{Guid.NewGuid()}/a.mp4"));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{port}{CompositionsHub.Path}", o => o.Transports = HttpTransportType.LongPolling)
            .Build();
        await hub.StartAsync();

        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM compositions WHERE id = '{id}' AND tenant = 'acme'"));
        Assert.Equal(id, (await hub.InvokeAsync<JsonElement?>("Subscribe", id))!.Value.GetProperty("id").GetGuid());
    }
}
