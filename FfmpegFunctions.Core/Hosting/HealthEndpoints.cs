using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FfmpegFunctions.Core.Hosting;

public static class HealthEndpoints
{
    /// <summary>/healthz: the process answers. /readyz: every dependency tagged "ready" answers; the failing ones are named.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready"), ResponseWriter = WriteAsync });
        return app;
    }

    /// <summary>The same answers for a host without endpoint routing (the Functions app's /api/healthz and /api/readyz):
    /// 200 while healthy or degraded, 503 when a check fails, as MapHealthChecks answers.</summary>
    public static async Task AnswerAsync(HttpContext context, HealthCheckService health, bool ready, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(ready ? r => r.Tags.Contains("ready") : _ => false, cancellationToken);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await WriteAsync(context, report);
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new ReadinessReport(
            Status: report.Status.ToString().ToLowerInvariant(),
            Failing: [.. report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).Order(StringComparer.Ordinal)],
            Checks: report.Entries.ToDictionary(
                e => e.Key,
                e => new CheckReport(e.Value.Status.ToString().ToLowerInvariant(), Math.Round(e.Value.Duration.TotalMilliseconds, 1), Shorten(e.Value.Description))));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }

    // Client libraries put whole diagnostics dumps in messages; a probe body needs the first sentence.
    private static string? Shorten(string? description) =>
        description is { Length: > 240 } ? description[..240] + "..." : description;

    private sealed record ReadinessReport(string Status, IReadOnlyList<string> Failing, IReadOnlyDictionary<string, CheckReport> Checks);

    private sealed record CheckReport(string Status, double DurationMs, string? Error);
}
