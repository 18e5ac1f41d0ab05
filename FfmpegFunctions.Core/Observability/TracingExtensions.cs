using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FfmpegFunctions.Core.Observability;

public static class TracingExtensions
{
    public const string DefaultServiceName = "ffmpegfunctions";

    /// <summary>
    /// OpenTelemetry tracing: HTTP server and client, PostgreSQL (Npgsql) and the service's own spans. Spans leave
    /// the process only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTEL_* variables configure the exporter);
    /// the service name is OTEL_SERVICE_NAME, "ffmpegfunctions" by default.
    /// </summary>
    public static IHostApplicationBuilder AddTracing(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (exportOtlp) tracing.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary>Health probes run every few seconds and say nothing about requests; they are left out.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/readyz", StringComparison.OrdinalIgnoreCase);
}
