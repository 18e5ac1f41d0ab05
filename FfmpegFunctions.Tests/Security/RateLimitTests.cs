using System.Net;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Security;

public sealed class RateLimitTests
{
    [Fact]
    public async Task TwoInstancesSpendOneSharedBudgetPerKey()
    {
        await using var host = await PipelineHost.CreateAsync();
        // Refill is one token per 100 s, so the test sees the burst alone.
        var limits = new Dictionary<string, string?> { ["RateLimit:Burst"] = "3", ["RateLimit:PermitsPerSecond"] = "0.01" };
        var first = host.Start(engine: false, extra: limits);
        var second = host.Start(engine: false, extra: limits);
        var name = "limited-" + Guid.NewGuid().ToString("N")[..8];
        var key = await AdminKeys.CreateAsync(first, name);
        using var a = first.CreateClientWithKey(key);
        using var b = second.CreateClientWithKey(key);

        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/compositions")).StatusCode);
        using var refused = await b.GetAsync("/api/compositions");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 101);

        // Other keys have their own buckets.
        using var other = first.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/compositions")).StatusCode);
    }
}
