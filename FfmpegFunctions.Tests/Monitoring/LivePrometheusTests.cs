using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FfmpegFunctions.Tests.Support;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Monitoring;

/// <summary>
/// A real Prometheus (Debian's 2.42, on 127.0.0.1, a free port, a temp folder; never the Debian service)
/// with the shipped configuration and rules scrapes a running Server: every PromQL expression of the
/// dashboard and the rules must return data after a few requests and one render.
/// </summary>
[Collection(nameof(Pipeline.PipelineCollection))]
public sealed partial class LivePrometheusTests(Pipeline.PipelineMedia media, ITestOutputHelper output)
{
    [Fact]
    public async Task EveryDashboardAndRuleExpressionReturnsDataFromARealScrape()
    {
        MonitoringFiles.RequireBinaries();
        await using var host = await PipelineHost.CreateAsync();
        var serverPort = Ports.Free();
        var server = host.StartListening(serverPort, engine: true);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serverPort}/") };
        api.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Api);
        await Eventually.BecomesAsync(async () => (await api.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the Server to be ready");

        var folder = MonitoringFiles.CopyWithKey(TestKeys.Internal);
        var promPort = Ports.Free();
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, ForTest(File.ReadAllText(config), $"127.0.0.1:{serverPort}"));
        using var prometheus = Process.Start(new ProcessStartInfo(MonitoringFiles.Prometheus)
        {
            ArgumentList =
            {
                "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(folder, "data"),
                $"--web.listen-address=127.0.0.1:{promPort}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var promLog = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (promLog) promLog.AppendLine(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        using var prom = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{promPort}/") };
        try
        {
            await Eventually.BecomesAsync(async () => await StatusAsync(prom, "/-/ready"), s => s == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), "Prometheus to be ready");

            // The scrape authenticates with the internal key from credentials_file. Traffic starts after the
            // first scrape, so rates and quantiles see it change (a counter first seen at its final value has rate 0).
            await Eventually.BecomesAsync(() => QueryAsync(prom, "up{job=\"ffmpegfunctions-server\"} == 1"), r => r.Count == 1,
                TimeSpan.FromSeconds(30), "the Server target to be up");

            // A few requests (one 404, one 401) and one render.
            var key = await host.UploadInputAsync(server, media.Tiny);
            var id = await PipelineHost.CreateAsync(api, Specs.Simple(key));
            await api.GetAsync($"/api/compositions/{Guid.NewGuid()}");
            using (var anonymous = new HttpClient { BaseAddress = api.BaseAddress }) await anonymous.GetAsync("/api/compositions");
            var view = await PipelineHost.WaitForStatusAsync(api, id, TimeSpan.FromSeconds(120), "completed", "failed");
            Assert.Equal("completed", view.GetProperty("status").GetString());

            var expressions = MonitoringFiles.DashboardExpressions().Concat(MonitoringFiles.RecordNames()).ToList();
            var started = Stopwatch.StartNew();
            foreach (var expression in expressions)
            {
                // Data: at least one series with a number (histogram_quantile over no observations is NaN).
                var result = await Eventually.BecomesAsync(() => QueryAsync(prom, expression), r => r.Any(v => !v.EndsWith(" NaN", StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(60), $"'{expression}' to return data");
                output.WriteLine($"{expression} -> {result.Count} series, e.g. {result.First(v => !v.EndsWith(" NaN", StringComparison.Ordinal))}");
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{expressions.Count} expressions had data within {started.Elapsed.TotalSeconds:F1} s"));

            // Alerts are thresholds on the recorded quantities above; each must evaluate cleanly on live data.
            foreach (var expression in MonitoringFiles.AlertExpressions())
            {
                await QueryAsync(prom, expression);
                foreach (Match name in RecordedName().Matches(expression))
                    Assert.Contains(name.Value, MonitoringFiles.RecordNames());
            }
            await Eventually.BecomesAsync(() => RuleHealthAsync(prom), h => h.Count > 0 && h.All(r => r.EndsWith("=ok", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "every rule to be evaluated without error");
            // A healthy Server with a completed render: nothing fires.
            Assert.Empty(await QueryAsync(prom, "ALERTS{alertstate=\"firing\"}"));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            lock (promLog) output.WriteLine("prometheus log:\n" + promLog);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The shipped config with the test's target and 1 s intervals; every change must apply.</summary>
    private static string ForTest(string config, string target)
    {
        var replaced = config
            .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("evaluation_interval: 15s", "evaluation_interval: 1s", StringComparison.Ordinal)
            .Replace("'127.0.0.1:5080'", $"'{target}'", StringComparison.Ordinal);
        Assert.DoesNotContain("15s", replaced, StringComparison.Ordinal);
        Assert.Contains(target, replaced, StringComparison.Ordinal);
        return replaced;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        try { return (await client.GetAsync(path)).StatusCode; }
        catch (HttpRequestException) { return 0; }
    }

    /// <summary>Runs an instant query; fails the test on a PromQL error. Returns one line per series.</summary>
    private static async Task<List<string>> QueryAsync(HttpClient prom, string expression)
    {
        var body = await prom.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(expression));
        using var json = JsonDocument.Parse(body);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        var data = json.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() == "scalar"
            ? [result.ToString()]
            : [.. result.EnumerateArray().Select(s => s.GetProperty("metric").ToString() + " " + s.GetProperty("value")[1].GetString())];
    }

    private static async Task<List<string>> RuleHealthAsync(HttpClient prom)
    {
        using var json = JsonDocument.Parse(await prom.GetStringAsync("/api/v1/rules"));
        return [.. json.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => r.GetProperty("name").GetString() + "=" + r.GetProperty("health").GetString())];
    }


    [GeneratedRegex(@"ffmpegfunctions:[a-z0-9_:]+")]
    private static partial Regex RecordedName();
}
