using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Security;

public sealed class CorsTests
{
    [Fact]
    public async Task OnlyConfiguredOriginsGetCorsHeadersAndPreflightsNeedNoKey()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://console.example.com" });
        using var client = api.CreateClientWithKey(null);

        foreach (var (origin, allowed) in new[] { ("https://console.example.com", true), ("https://evil.example.com", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/compositions");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
            using var response = await client.SendAsync(preflight);

            Assert.Equal(204, (int)response.StatusCode);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }

        // The actual (unauthenticated) request: the browser can read the 401 from the allowed origin.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/compositions");
        request.Headers.Add("Origin", "https://console.example.com");
        using var refused = await client.SendAsync(request);
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal("https://console.example.com", refused.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
