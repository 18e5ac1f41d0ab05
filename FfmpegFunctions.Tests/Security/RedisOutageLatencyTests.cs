using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Tests.Foundation;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Security;

/// <summary>
/// With Redis gone the API lets requests through without the rate limit (as documented), and must do so in normal
/// time, not after a Redis timeout per request. In the outage collection: it measures latency, so it runs alone.
/// </summary>
[Collection(nameof(OutageCollection))]
public sealed class RedisOutageLatencyTests(PrivateRedis redis, ITestOutputHelper output) : IClassFixture<PrivateRedis>
{
    private const int WarmUp = 5;
    private const int Measured = 40;

    [Fact]
    public Task WithRedisStoppedRequestsAnswerInNormalTimeAndTheLimitReturnsWithRedis() =>
        OutageAsync(redis.StopAsync, redis.StartAsync);

    /// <summary>A server that keeps the connection but never answers: failing fast on a closed connection cannot help
    /// here, only the circuit can.</summary>
    [Fact]
    public Task WithRedisFrozenRequestsAnswerInNormalTimeAndTheLimitReturnsWithRedis() =>
        OutageAsync(redis.FreezeAsync, redis.ThawAsync);

    private async Task OutageAsync(Func<Task> takeDown, Func<Task> bringBack)
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            // One request per 100 s after the first: a 429 shows at once that the limiter reaches Redis.
            ["RateLimit:Burst"] = "1",
            ["RateLimit:PermitsPerSecond"] = "0.01",
        });
        var key = await AdminKeys.CreateAsync(api, "circuit-" + Guid.NewGuid().ToString("N")[..8]);
        using var client = api.CreateClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/compositions")).StatusCode);
        var circuit = api.Services.GetRequiredService<RedisCircuit>();
        Assert.Equal(RedisCircuitState.Closed, circuit.State);

        await takeDown();
        try
        {
            // The first requests may wait for Redis (they are what tells the service it is gone).
            var warmUp = new List<double>();
            for (var i = 0; i < WarmUp; i++) warmUp.Add(await TimeGetAsync(client));
            var timings = new List<double>();
            for (var i = 0; i < Measured; i++) timings.Add(await TimeGetAsync(client));

            var p95 = Percentile(timings, 0.95);
            var summary = $"p95 {p95:0.0} ms, median {Percentile(timings, 0.5):0.0} ms, max {timings.Max():0.0} ms over {Measured} GET /api/compositions; warm-up {string.Join(", ", warmUp.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms";
            output.WriteLine(summary);
            Assert.True(p95 < 100, $"With Redis down: {summary}; expected a p95 under 100 ms");
            // Finding out costs at most FailuresToOpen x OperationTimeout (2 x 500 ms), once. Without the circuit a frozen
            // Redis cost 2-4 s a request until the client gave the connection up (9 s here), a stopped one 3-6 s each.
            Assert.True(warmUp.Sum() < 2500, $"With Redis down the first {WarmUp} requests took {warmUp.Sum():0} ms in all ({summary}); expected under 2500 ms");
            Assert.NotEqual(RedisCircuitState.Closed, circuit.State);
            // Readiness stays honest: Redis is named while it is down.
            using var admin = api.CreateClient();
            using var ready = await admin.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal(["redis"], body.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            await bringBack();
        }

        // Once Redis answers the circuit closes by itself and the key's bucket counts again: a restarted Redis is empty
        // (one more 200, then 429), a thawed one still has the spent bucket (429 at once).
        var back = Stopwatch.StartNew();
        await Eventually.BecomesAsync(async () => (await client.GetAsync("/api/compositions")).StatusCode,
            s => s == HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(15), "the rate limit to apply again once Redis is back");
        output.WriteLine($"rate limit back {back.ElapsedMilliseconds} ms after Redis");
        Assert.Equal(RedisCircuitState.Closed, circuit.State);
    }

    private static async Task<double> TimeGetAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/compositions");
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}
