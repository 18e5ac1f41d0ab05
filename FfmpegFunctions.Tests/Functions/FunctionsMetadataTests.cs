using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// What the Functions host will index: the functions.metadata and extensions.json the Worker SDK generated when
/// the app was built (the test project builds it, in the same configuration).
/// </summary>
public sealed class FunctionsMetadataTests
{
    private sealed record Expected(string Trigger, string? Route = null, string[]? Methods = null, string? AuthLevel = null, string[]? Inputs = null);

    private static readonly Dictionary<string, Expected> Functions = new()
    {
        ["CreateComposition"] = new("httpTrigger", "compositions", ["post"], "Anonymous", ["durableClient"]),
        ["ListCompositions"] = new("httpTrigger", "compositions", ["get"], "Anonymous"),
        ["GetComposition"] = new("httpTrigger", "compositions/{id}", ["get"], "Anonymous"),
        ["GetCompositionSteps"] = new("httpTrigger", "compositions/{id}/steps", ["get"], "Anonymous"),
        ["DownloadComposition"] = new("httpTrigger", "compositions/{id}/download", ["get"], "Anonymous"),
        ["CancelComposition"] = new("httpTrigger", "compositions/{id}/cancel", ["post"], "Anonymous", ["durableClient"]),
        ["DeleteComposition"] = new("httpTrigger", "compositions/{id}", ["delete"], "Anonymous", ["durableClient"]),
        ["CreateUploads"] = new("httpTrigger", "uploads", ["post"], "Anonymous"),
        ["ListUploads"] = new("httpTrigger", "uploads", ["get"], "Anonymous"),
        ["GetUpload"] = new("httpTrigger", "uploads/{id}", ["get"], "Anonymous"),
        ["CompleteUpload"] = new("httpTrigger", "uploads/{id}/complete", ["post"], "Anonymous"),
        ["DeleteUpload"] = new("httpTrigger", "uploads/{id}", ["delete"], "Anonymous"),
        ["ListTemplates"] = new("httpTrigger", "templates", ["get"], "Anonymous"),
        ["DeleteTemplate"] = new("httpTrigger", "templates/{id}", ["delete"], "Anonymous"),
        ["CreateTemplate"] = new("httpTrigger", "templates", ["post"], "Anonymous"),
        ["GetTemplate"] = new("httpTrigger", "templates/{id}", ["get"], "Anonymous"),
        ["UpdateTemplate"] = new("httpTrigger", "templates/{id}", ["put"], "Anonymous"),
        ["RenderTemplate"] = new("httpTrigger", "templates/{id}/render", ["post"], "Anonymous", ["durableClient"]),
        ["CreateKey"] = new("httpTrigger", "keys", ["post"], "Anonymous"),
        ["ListKeys"] = new("httpTrigger", "keys", ["get"], "Anonymous"),
        ["RevokeKey"] = new("httpTrigger", "keys/{name}", ["delete"], "Anonymous"),
        ["AdminCreateKey"] = new("httpTrigger", "admin/api-keys", ["post"], "Anonymous"),
        ["AdminListKeys"] = new("httpTrigger", "admin/api-keys", ["get"], "Anonymous"),
        ["AdminRevokeKey"] = new("httpTrigger", "admin/api-keys/{name}", ["delete"], "Anonymous"),
        ["Healthz"] = new("httpTrigger", "healthz", ["get"], "Anonymous"),
        ["Readyz"] = new("httpTrigger", "readyz", ["get"], "Anonymous"),
        ["RenderComposition"] = new("orchestrationTrigger"),
        ["MarkProcessing"] = new("activityTrigger"),
        ["ProbeInputs"] = new("activityTrigger"),
        ["Plan"] = new("activityTrigger"),
        ["Render"] = new("activityTrigger"),
        ["RenderSegment"] = new("activityTrigger"),
        ["RenderAudio"] = new("activityTrigger"),
        ["Join"] = new("activityTrigger"),
        ["Publish"] = new("activityTrigger"),
        ["MarkCompleted"] = new("activityTrigger", Inputs: ["durableClient"]),
        ["MarkFailed"] = new("activityTrigger", Inputs: ["durableClient"]),
        ["DispatchRenders"] = new("timerTrigger", Inputs: ["durableClient"]),
        ["DispatchWebhooks"] = new("timerTrigger"),
        ["SweepRetention"] = new("timerTrigger"),
    };

    /// <summary>Built only where Microsoft.Azure.Functions.Worker.Extensions.SignalRService restores.</summary>
    private static readonly Dictionary<string, Expected> SignalRFunctions = new()
    {
        ["negotiate"] = new("httpTrigger", "negotiate", ["post"], "Anonymous", ["signalRConnectionInfo"]),
        ["SubscribeComposition"] = new("httpTrigger", "compositions/{id}/subscribe", ["post"], "Anonymous"),
    };

    private static string OutputDirectory
    {
        get
        {
            // This test assembly runs from FfmpegFunctions.Tests/bin/<Configuration>/net10.0/.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(StackSettings.RepositoryRoot, "FfmpegFunctions", "bin", configuration, "net10.0");
        }
    }

    [Fact]
    public void EveryFunctionIsIndexedWithItsTriggerRouteMethodsAndAuthLevel()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory, "functions.metadata")));
        var withSignalR = File.Exists(Path.Combine(OutputDirectory, "Microsoft.Azure.Functions.Worker.Extensions.SignalRService.dll"));
        var expected = withSignalR ? Functions.Concat(SignalRFunctions).ToDictionary() : Functions;
        var actual = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, want) in expected)
        {
            var bindings = actual[name].GetProperty("bindings").EnumerateArray().ToList();
            var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal(want.Trigger, trigger.GetProperty("type").GetString());
            Assert.Equal(want.Route, trigger.TryGetProperty("route", out var route) ? route.GetString() : null);
            Assert.Equal(want.Methods, trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToArray() : null);
            Assert.Equal(want.AuthLevel, trigger.TryGetProperty("authLevel", out var auth) ? auth.GetString() : null);
            var inputs = bindings.Where(b => b.GetProperty("direction").GetString() == "In" && !b.Equals(trigger)).Select(b => b.GetProperty("type").GetString()!);
            Assert.Equal(want.Inputs ?? [], inputs.Where(t => t != trigger.GetProperty("type").GetString()).ToArray());
        }
    }

    [Fact]
    public void NoRouteHasAConstraintThatWouldLetTheHostAnswer()
    {
        var routes = Functions.Concat(SignalRFunctions).Select(f => f.Value.Route).OfType<string>().ToList();
        Assert.All(routes, route => Assert.DoesNotContain(':', route));
    }

    [Fact]
    public void ExtensionsJsonCarriesTheDurableTaskExtension()
    {
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory, "extensions.json")));
        var durable = Assert.Single(extensions.RootElement.GetProperty("extensions").EnumerateArray(), e => e.GetProperty("name").GetString() == "DurableTask");
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.DurableTaskWebJobsStartup", durable.GetProperty("typeName").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(OutputDirectory, durable.GetProperty("hintPath").GetString()!)), "the extension assembly is next to it");
    }
}
