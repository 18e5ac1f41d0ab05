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
        // Two lines per response from the result executors: the request line already says status and duration.
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Mvc.Infrastructure.ObjectResultExecutor").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Http.Result.JsonResult").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Mvc.Infrastructure.ObjectResultExecutor").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void HostJsonKeepsLibrariesAtWarningAndSetsDurableDistributedTracingV2()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(StackSettings.RepositoryRoot, "host.json")));
        var levels = hostJson.RootElement.GetProperty("logging").GetProperty("logLevel");
        // The two timers run every 5 and 10 s: their "Executing/Executed" lines alone would be most of the log.
        foreach (var category in new[] { "Npgsql", "Azure.Core", "DurableTask.Core", "DurableTask.AzureStorage" })
            Assert.Equal("Warning", levels.GetProperty(category).GetString());
        // The host's Executing/Executed pair of every invocation (category Function.<name>) is off; what the app logs
        // from inside a function (Function.<name>.User) stays, so a request writes one line: the app's request line.
        Assert.Equal("Warning", levels.GetProperty("Function").GetString());
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(StackSettings.RepositoryRoot, "FfmpegFunctions", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "functions.metadata")));
        foreach (var function in metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()))
            Assert.True(levels.TryGetProperty($"Function.{function}.User", out var level) && level.GetString() == "Information",
                $"host.json keeps the app's own logs of {function} (Function.{function}.User: Information)");
        var tracing = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("tracing");
        Assert.True(tracing.GetProperty("DistributedTracingEnabled").GetBoolean());
        Assert.Equal("V2", tracing.GetProperty("Version").GetString());
    }
}
