using System.Net;
using FfmpegFunctions.Tests.Foundation;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Security;

[Collection(nameof(OutageCollection))]
public sealed class RateLimitOutageTests
{
    [Fact]
    public async Task WithRedisDownRequestsAreLetThroughRatherThanRefused()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: new Dictionary<string, string?> { ["RateLimit:Burst"] = "1", ["RateLimit:PermitsPerSecond"] = "0.01" });
        var key = await AdminKeys.CreateAsync(api, "outage-" + Guid.NewGuid().ToString("N")[..8]);
        using var client = api.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/compositions")).StatusCode);

        await StackScript.RunAsync(null, CancellationToken.None, "down", "redis");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/compositions")).StatusCode);
        }
        finally
        {
            await StackScript.RunAsync(null, CancellationToken.None, "up", "redis");
        }
    }
}
