using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

public static class RedisExtensions
{
    /// <summary>One IConnectionMultiplexer for the process. It connects lazily and reconnects on its own,
    /// so a Redis outage degrades readiness instead of crashing the host.</summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>()
            .Configure<IConfiguration>((o, config) => o.ConnectionString ??= config.GetConnectionString("Redis"))
            .ValidateDataAnnotations()
            .Validate(o => o.ConnectionString is null || IsParsable(o.ConnectionString), "The setting 'ConnectionStrings:Redis' is not a valid Redis configuration string.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString!);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 2000;
            options.AsyncTimeout = 2000;
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddSingleton<ICompositionEventTarget, RedisEventSink>();
        builder.Services.AddSingleton<ICompositionEventSink, FanOutEventSink>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    private static bool IsParsable(string value)
    {
        try { ConfigurationOptions.Parse(value); return true; }
        catch (ArgumentException) { return false; }
    }
}
