using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FfmpegFunctions.Core.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every host of this service needs: logging, tracing, PostgreSQL, Redis, the object store (S3 or Azure Blob) and their readiness checks.</summary>
    /// <param name="consoleLogging">
    /// false where the host owns logging: the Functions worker ships its logs to the Functions host
    /// through its own provider, which <see cref="AddStructuredLogging"/> would clear.
    /// </param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, bool consoleLogging = true)
    {
        if (consoleLogging) builder.AddStructuredLogging();
        builder.AddTracing();
        builder.Services.AddHealthChecks();
        builder.AddPostgres();
        builder.AddRedis();
        builder.AddObjectStorage();
        return builder;
    }

    /// <summary>JSON lines when output goes to a pipe or file (containers, CI, log shippers); readable text on a terminal.</summary>
    public static IHostApplicationBuilder AddStructuredLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (Console.IsOutputRedirected || builder.Configuration["Logging:Format"] == "json")
        {
            var service = builder.Configuration["Logging:Service"] ?? builder.Environment.ApplicationName;
            builder.Logging.AddConsole(o => o.FormatterName = FlatJsonConsoleFormatter.FormatterName);
            builder.Logging.AddConsoleFormatter<FlatJsonConsoleFormatter, FlatJsonFormatterOptions>(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.Service = service;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        return builder;
    }
}
