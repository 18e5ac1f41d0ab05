using System.Globalization;
using System.Net;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Observability;

public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsAreValidPrometheusTextAndMoveWithTraffic()
    {
        using var media = new TestMedia();
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        using var scraper = api.CreateClientWithKey(TestKeys.Internal);

        var before = await ScrapeAsync(scraper);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/compositions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/compositions/{Guid.NewGuid()}")).StatusCode);
        var key = await host.UploadInputAsync(api, media.Video("a.mp4", seconds: 1));
        await PipelineHost.CreateAsync(client, Specs.Simple(key, priority: "high"));
        var after = await ScrapeAsync(scraper);

        const string list = "http_requests_total{route=\"/api/compositions/\",method=\"GET\",code=\"200\"}";
        Assert.Equal(3, after.Value(list) - before.Value(list));
        Assert.Equal(1, after.Value("http_request_errors_total{route=\"/api/compositions/{id:guid}\",class=\"4xx\"}") - before.Value("http_request_errors_total{route=\"/api/compositions/{id:guid}\",class=\"4xx\"}"));
        Assert.Equal(3, after.Value("http_request_duration_seconds_count{route=\"/api/compositions/\",method=\"GET\",code=\"200\"}") - before.Value("http_request_duration_seconds_count{route=\"/api/compositions/\",method=\"GET\",code=\"200\"}"));
        Assert.Equal(1, after.Value("render_jobs_queued{priority=\"high\"}"));
        Assert.Equal(0, after.Value("render_jobs_queued{priority=\"low\"}"));
        Assert.Equal(1, after.Value("http_requests_in_flight")); // the scrape itself
        Assert.Equal("histogram", after.Types["http_request_duration_seconds"]);
        Assert.Equal("counter", after.Types["http_requests_total"]);
        Assert.Equal("gauge", after.Types["render_jobs_running"]);
    }

    private static async Task<Scrape> ScrapeAsync(HttpClient scraper)
    {
        using var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A tiny Prometheus text-format parser: "# TYPE name kind" and "name{labels} value" lines; anything else fails the test.</summary>
    private sealed record Scrape(IReadOnlyDictionary<string, double> Samples, IReadOnlyDictionary<string, string> Types)
    {
        public double Value(string series) => Samples.GetValueOrDefault(series);

        public static Scrape Parse(string text)
        {
            var samples = new Dictionary<string, double>(StringComparer.Ordinal);
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    Assert.Equal(4, parts.Length);
                    Assert.Contains(parts[3], (string[])["counter", "gauge", "histogram", "summary", "untyped"]);
                    types[parts[2]] = parts[3];
                    continue;
                }
                var space = line.LastIndexOf(' ');
                Assert.True(space > 0, $"not a sample line: {line}");
                var series = line[..space];
                var name = series.Split('{')[0];
                Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
                if (series.Contains('{', StringComparison.Ordinal)) Assert.Matches("^[^{]+\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\}$", series);
                var value = line[(space + 1)..];
                samples[series] = value switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    "NaN" => double.NaN,
                    _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                };
            }
            return new Scrape(samples, types);
        }
    }
}
