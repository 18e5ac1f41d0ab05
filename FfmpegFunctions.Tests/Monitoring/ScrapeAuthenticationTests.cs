using System.Net;
using System.Net.Http.Headers;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Monitoring;

/// <summary>Prometheus 2.x sends the internal key as a bearer token; that form is accepted on /metrics only as a header.</summary>
public sealed class ScrapeAuthenticationTests
{
    [Fact]
    public async Task MetricsTakeTheInternalKeyAsABearerHeaderButTheApiDoesNot()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "/metrics", new AuthenticationHeaderValue("Bearer", TestKeys.Internal))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, "/metrics", new AuthenticationHeaderValue("Bearer", TestKeys.Api))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, "/metrics?access_token=" + TestKeys.Internal, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, "/api/compositions", new AuthenticationHeaderValue("Bearer", TestKeys.Api))).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }
}
