using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Monitoring;

/// <summary>deploy/monitoring as shipped, and Debian's Prometheus 2.42 binaries (scripts/stack.sh install-prometheus).</summary>
public static partial class MonitoringFiles
{
    public const string Promtool = "/usr/bin/promtool";
    public const string Prometheus = "/usr/bin/prometheus";

    public static string Directory { get; } = Path.Combine(StackSettings.RepositoryRoot, "deploy", "monitoring");
    public static string RulesFile => Path.Combine(Directory, "rules", "ffmpegfunctions.rules.yml");
    public static string DashboardFile => Path.Combine(Directory, "grafana-dashboard.json");

    public static void RequireBinaries()
    {
        foreach (var binary in new[] { Promtool, Prometheus })
        {
            if (!File.Exists(binary))
                throw new InvalidOperationException($"{binary} is missing: `scripts/stack.sh install-prometheus` installs Debian's prometheus package (the test command runs it).");
        }
    }

    /// <summary>A copy of deploy/monitoring in a temp folder, with the internal key file the config reads.</summary>
    public static string CopyWithKey(string key)
    {
        var target = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-monitoring-" + Guid.NewGuid().ToString("N"));
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        File.WriteAllText(Path.Combine(target, "internal-key"), key);
        return target;
    }

    public static IReadOnlyList<string> AlertNames() =>
        [.. AlertName().Matches(File.ReadAllText(RulesFile)).Select(m => m.Groups[1].Value)];

    public static IReadOnlyList<string> RecordNames() =>
        [.. RecordName().Matches(File.ReadAllText(RulesFile)).Select(m => m.Groups[1].Value)];

    /// <summary>The alert expressions (one line each in the rules file, by convention).</summary>
    public static IReadOnlyList<string> AlertExpressions() =>
        [.. AlertExpr().Matches(File.ReadAllText(RulesFile)).Select(m => m.Groups[1].Value.Trim())];

    public static IReadOnlyList<string> DashboardExpressions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        return [.. json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^\s*- alert:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    [GeneratedRegex(@"^\s*- record:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex RecordName();

    [GeneratedRegex(@"^\s*- alert:\s*\S+\s*\n\s*expr:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex AlertExpr();
}
