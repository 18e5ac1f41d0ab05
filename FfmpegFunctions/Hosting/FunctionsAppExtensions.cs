using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Retention;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Templates;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Observability;
using FfmpegFunctions.Functions.Realtime;
using FfmpegFunctions.Functions.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using FfmpegFunctions.Functions.Dispatch;

namespace FfmpegFunctions.Functions.Hosting;

public static class FunctionsAppExtensions
{
    /// <summary>
    /// Everything the Functions app registers, on any host builder: Program.cs calls it on the Functions
    /// builder, and the tests on a plain host builder, so they run the app's own services against the real stack.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsApp(this IHostApplicationBuilder builder)
    {
        // Console logging stays the worker's: its provider forwards logs to the Functions host and Application Insights.
        builder.AddServiceDefaults(consoleLogging: false);
        builder.AddFunctionsLogging();
        builder.AddRequestId();
        builder.AddApiKeyAuthentication();
        builder.AddApiRateLimiting();
        builder.AddFunctionsMetrics();
        builder.AddRenderWorkflow();
        // A worker's folder is its own for its life (several hosts may share a process in tests, so the id is unique).
        builder.AddInstanceWorkFolder(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatchOptions>>().Value.InstanceId
            + "-" + Guid.NewGuid().ToString("N")[..8]);
        builder.AddTemplates();
        builder.AddRetention();
        builder.AddSignalRServiceEvents();
        builder.Services.AddSingleton<FunctionsJobQueue>();
        builder.Services.AddSingleton<RenderDispatcher>();
        builder.Services.AddSingleton<StepActivities>();
        builder.Services.AddOptions<DispatchOptions>()
            .BindConfiguration("Dispatch")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// The worker's log filters (host.json filters the host's own categories). Every log line ends up in
    /// Application Insights, where it is paid for: Npgsql logs each command's text at Information (the 5 s
    /// dispatch timer included), Azure.Core each storage request, and ASP.NET Core's result executors two lines per
    /// response ("Setting HTTP status code", "Writing value of type"): the app's own request line says it once.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
        builder.Logging.AddFilter("Azure.Storage", LogLevel.Warning);
        return builder;
    }

    /// <summary>The app's meter, exported with OpenTelemetry (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).</summary>
    public static IHostApplicationBuilder AddFunctionsMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<FunctionsMetrics>();
        builder.Services.AddSingleton<IRenderMetrics>(sp => sp.GetRequiredService<FunctionsMetrics>());
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(FunctionsMetrics.MeterName);
            if (exportOtlp) metrics.AddOtlpExporter();
        });
        return builder;
    }
}
