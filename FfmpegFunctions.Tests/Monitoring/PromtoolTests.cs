using System.Text.RegularExpressions;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Monitoring;

/// <summary>The shipped Prometheus configuration and rules, checked and unit-tested by promtool.</summary>
public sealed partial class PromtoolTests
{
    public PromtoolTests() => MonitoringFiles.RequireBinaries();

    [Fact]
    public async Task TheScrapeConfigurationIsValid()
    {
        var copy = MonitoringFiles.CopyWithKey(TestKeys.Internal);
        try
        {
            var (code, output) = await MonitoringFiles.RunAsync(MonitoringFiles.Promtool, ["check", "config", Path.Combine(copy, "prometheus.yml")], TimeSpan.FromSeconds(60));
            Assert.True(code == 0, output);
            Assert.Contains("1 rule files found", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task TheRulesAreValid()
    {
        var (code, output) = await MonitoringFiles.RunAsync(MonitoringFiles.Promtool, ["check", "rules", MonitoringFiles.RulesFile], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, output);
        Assert.Contains($"{MonitoringFiles.AlertNames().Count + MonitoringFiles.RecordNames().Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachAlertFiresAndStaysQuietInItsUnitTests()
    {
        var testFile = Path.Combine(MonitoringFiles.Directory, "tests", "alerts.test.yml");
        var (code, output) = await MonitoringFiles.RunAsync(MonitoringFiles.Promtool, ["test", "rules", testFile], TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);

        // Every alert has at least one case expecting it and one expecting silence.
        var tests = File.ReadAllText(testFile);
        var alerts = MonitoringFiles.AlertNames();
        Assert.Equal(5, alerts.Count);
        foreach (var alert in alerts)
        {
            var cases = Case().Matches(tests).Where(m => m.Groups[1].Value == alert).ToList();
            Assert.True(cases.Any(m => m.Groups[2].Value == "[]"), $"{alert} has no not-firing case");
            Assert.True(cases.Any(m => m.Groups[2].Value.Length == 0), $"{alert} has no firing case");
        }
    }

    [GeneratedRegex(@"alertname:\s*(\S+)\s*\n\s*exp_alerts:[ \t]*(\[\])?")]
    private static partial Regex Case();
}
