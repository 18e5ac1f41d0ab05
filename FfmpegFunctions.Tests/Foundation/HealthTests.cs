using System.Net;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Foundation;

/// <summary>Takes Redis down, so it runs alone, after the parallel collections.</summary>
[CollectionDefinition(nameof(OutageCollection), DisableParallelization = true)]
public sealed class OutageCollection;

[Collection(nameof(OutageCollection))]
public sealed class HealthTests
{
    [Fact]
    public async Task HealthzAnswersWhileTheProcessIsAlive()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadyzNamesRedisWhileItIsDownAndRecoversWhenItIsBack()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();
        // A fresh instance connects to Redis in the background; wait for it rather than racing it.
        var ready = await Eventually.BecomesAsync(() => ReadAsync(client), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "readyz to report ready");
        Assert.Equal(["postgres", "redis", "s3"], ready.Checks.Order());

        await StackScript.RunAsync(null, CancellationToken.None, "down", "redis");
        try
        {
            var down = await ReadAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
            Assert.Equal(["redis"], down.Failing);
        }
        finally
        {
            await StackScript.RunAsync(null, CancellationToken.None, "up", "redis");
        }

        await Eventually.BecomesAsync(() => ReadAsync(client), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "readyz to recover");
    }

    [Fact]
    public async Task ReadyzNamesTheBucketWhenItDoesNotExist()
    {
        await using var factory = new ServerFactory(new Dictionary<string, string?> { ["S3:Bucket"] = "no-such-bucket" });
        using var client = factory.CreateClient();

        var report = await ReadAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.Status);
        Assert.Equal(["s3"], report.Failing);
    }

    private sealed record Readiness(HttpStatusCode Status, IReadOnlyList<string> Failing, IReadOnlyList<string> Checks)
    {
        public override string ToString() => $"{(int)Status} failing: {string.Join(", ", Failing)}";
    }

    private static async Task<Readiness> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Readiness(
            response.StatusCode,
            [.. body.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()!)],
            [.. body.RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name)]);
    }
}
