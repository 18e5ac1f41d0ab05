extern alias functions;

using System.Text.Json;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>What the Functions app logs is paid for in Application Insights: chatty libraries stay at Warning.</summary>
public sealed class FunctionsLoggingTests
{
    [Fact]
    public void TheWorkerLogsNeitherNpgsqlCommandsNorAzureCoreRequestsAtInformation()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.AddFunctionsApp();
        using var services = builder.Services.BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Azure.Core").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("FfmpegFunctions.Functions.Dispatch.RenderDispatcher").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void HostJsonKeepsLibrariesAtWarningAndSetsDurableDistributedTracingV2()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(StackSettings.RepositoryRoot, "host.json")));
        var levels = hostJson.RootElement.GetProperty("logging").GetProperty("logLevel");
        // The two timers run every 5 and 10 s: their "Executing/Executed" lines alone would be most of the log.
        foreach (var category in new[] { "Npgsql", "Azure.Core", "DurableTask.Core", "DurableTask.AzureStorage", "Function.DispatchRenders", "Function.DispatchWebhooks" })
            Assert.Equal("Warning", levels.GetProperty(category).GetString());
        var tracing = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("tracing");
        Assert.True(tracing.GetProperty("DistributedTracingEnabled").GetBoolean());
        Assert.Equal("V2", tracing.GetProperty("Version").GetString());
    }
}
