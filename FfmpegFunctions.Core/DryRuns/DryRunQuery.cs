using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.DryRuns;

/// <summary>The dryRun query parameter, read the same way by both hosts.</summary>
public static class DryRunQuery
{
    /// <returns>false when absent, the value when it is true or false (any case), null when it is anything else.</returns>
    public static bool? Read(HttpRequest request)
    {
        if (!request.Query.TryGetValue("dryRun", out var values)) return false;
        return values.Count == 1 && bool.TryParse(values[0], out var value) ? value : null;
    }
}
