using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Tests.Security;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace FfmpegFunctions.Tests.Tenancy;

/// <summary>
/// The hub on a real socket, over each SignalR transport and each way a client sends its key: a tenant's viewer
/// sees its own compositions and never another tenant's, the default tenant's included (long polling once fell
/// back to the default tenant, because the hub read a request feature its per-poll copy of the request lacks).
/// </summary>
public sealed class HubTransportIsolationTests
{
    [Theory]
    [InlineData(HttpTransportType.WebSockets, false)]
    [InlineData(HttpTransportType.WebSockets, true)]
    [InlineData(HttpTransportType.ServerSentEvents, false)]
    [InlineData(HttpTransportType.ServerSentEvents, true)]
    [InlineData(HttpTransportType.LongPolling, false)]
    [InlineData(HttpTransportType.LongPolling, true)]
    public async Task AViewerSubscribesToItsOwnCompositionsOnlyOnEveryTransport(HttpTransportType transport, bool asAccessToken)
    {
        await using var host = await PipelineHost.CreateAsync();
        var port = Ports.Free();
        var api = host.StartListening(port, engine: false);
        var baseUri = new Uri($"http://127.0.0.1:{port}/");
        using var defaultTenant = Client(baseUri, TestKeys.Api);
        using var globexEditor = Client(baseUri, await AdminKeys.CreateAsync(api, "globex-editor", "globex", "editor"));
        var viewerKey = await AdminKeys.CreateAsync(api, "globex-viewer", "globex", "viewer");
        var theirs = await PipelineHost.CreateAsync(defaultTenant, Specs.Simple($"inputs/{Guid.NewGuid()}/a.mp4", title: "secret"));
        var own = await PipelineHost.CreateAsync(globexEditor, Specs.Simple($"inputs/t/globex/{Guid.NewGuid()}/b.mp4", title: "mine"));

        await using var hub = Hub(baseUri, viewerKey, transport, asAccessToken);
        var leaked = new List<string>();
        foreach (var method in new[] { "progress", "status", "completed", "failed" })
            hub.On<JsonElement>(method, e => { lock (leaked) leaked.Add(e.GetRawText()); });
        await hub.StartAsync();

        var foreign = await hub.InvokeAsync<JsonElement?>("Subscribe", theirs);
        var mine = await hub.InvokeAsync<JsonElement?>("Subscribe", own);

        Assert.Null(foreign);
        Assert.NotNull(mine);
        Assert.Equal(own, mine.Value.GetProperty("id").GetGuid());
        Assert.Equal("mine", mine.Value.GetProperty("title").GetString());

        // The other tenant's composition changes; nothing of it reaches this connection, while its own does.
        using (var cancelTheirs = await defaultTenant.PostAsync($"/api/compositions/{theirs}/cancel", null))
            Assert.Equal(HttpStatusCode.Accepted, cancelTheirs.StatusCode);
        using (var cancelOwn = await globexEditor.PostAsync($"/api/compositions/{own}/cancel", null))
            Assert.Equal(HttpStatusCode.Accepted, cancelOwn.StatusCode);
        await Eventually.BecomesAsync(() => Task.FromResult(Snapshot(leaked)), events => events.Any(e => e.Contains(own.ToString(), StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the connection to receive its own composition's status");
        Assert.DoesNotContain(Snapshot(leaked), e => e.Contains(theirs.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AConnectionWithoutAKeyIsRefusedOnEveryTransport(HttpTransportType transport)
    {
        await using var host = await PipelineHost.CreateAsync();
        var port = Ports.Free();
        host.StartListening(port, engine: false);

        await using var hub = Hub(new Uri($"http://127.0.0.1:{port}/"), key: null, transport, asAccessToken: false);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static string[] Snapshot(List<string> events)
    {
        lock (events) return [.. events];
    }

    private static HttpClient Client(Uri baseUri, string key)
    {
        var client = new HttpClient { BaseAddress = baseUri };
        client.DefaultRequestHeaders.Add(TestKeys.Header, key);
        return client;
    }

    /// <param name="asAccessToken">As a browser sends it (Authorization: Bearer on negotiate and polls, access_token in
    /// the query on WebSockets and SSE) instead of the X-API-Key header.</param>
    private static HubConnection Hub(Uri baseUri, string? key, HttpTransportType transport, bool asAccessToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, CompositionsHub.Path), o =>
            {
                o.Transports = transport;
                o.SkipNegotiation = false;
                if (key is null) return;
                if (asAccessToken) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                else o.Headers[TestKeys.Header] = key;
            })
            .Build();
}
