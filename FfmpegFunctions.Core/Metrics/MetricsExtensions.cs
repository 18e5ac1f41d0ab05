using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace FfmpegFunctions.Core.Metrics;

public static class MetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>The host's metrics; the render engine reports through <see cref="IRenderMetrics"/>.</summary>
    public static IHostApplicationBuilder AddServiceMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.RemoveAll<IRenderMetrics>();
        builder.Services.AddSingleton<IRenderMetrics>(sp => sp.GetRequiredService<ServiceMetrics>());
        return builder;
    }

    /// <summary>Counts and times every request by route template (never the raw path: bounded label values).</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app) => app.UseMiddleware<RequestMetricsMiddleware>();

    /// <summary>Prometheus text at /metrics (guarded by the internal key, see ApiKeyMiddleware).</summary>
    public static IEndpointConventionBuilder MapServiceMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMetrics(Path, endpoints.ServiceProvider.GetRequiredService<ServiceMetrics>().Registry).ExcludeFromDescription();
}

internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServiceMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Routing ran before this middleware; read the endpoint now, the exception handler clears it.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        var started = Stopwatch.GetTimestamp();
        metrics.RequestInFlight(1);
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            metrics.RequestInFlight(-1);
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            metrics.RequestServed(route, context.Request.Method, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
