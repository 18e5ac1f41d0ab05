using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

public static class RedisExtensions
{
    /// <summary>One IConnectionMultiplexer for the process. It connects lazily and reconnects on its own,
    /// so a Redis outage degrades readiness instead of crashing the host; the circuit in front of it keeps
    /// requests and renders from waiting on Redis while it is gone.</summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>()
            .Configure<IConfiguration>((o, config) => o.ConnectionString ??= config.GetConnectionString("Redis"))
            .ValidateDataAnnotations()
            .Validate(o => o.ConnectionString is null || IsParsable(o.ConnectionString), "The setting 'ConnectionStrings:Redis' is not a valid Redis configuration string.")
            .ValidateOnStart();
        builder.Services.AddOptions<RedisCircuitOptions>()
            .BindConfiguration("Redis:Circuit")
            .ValidateDataAnnotations()
            .Validate(o => o.BreakDuration >= TimeSpan.FromMilliseconds(100) && o.BreakDuration <= TimeSpan.FromMinutes(5),
                "The setting 'Redis:Circuit:BreakDuration' must be between 00:00:00.100 and 00:05:00.")
            .Validate(o => o.OperationTimeout >= TimeSpan.FromMilliseconds(10) && o.OperationTimeout <= TimeSpan.FromSeconds(30),
                "The setting 'Redis:Circuit:OperationTimeout' must be between 00:00:00.010 and 00:00:30.")
            .Validate(o => o.WarningInterval >= TimeSpan.FromSeconds(1) && o.WarningInterval <= TimeSpan.FromHours(1),
                "The setting 'Redis:Circuit:WarningInterval' must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(Configure(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString!)));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisCircuit>();
        builder.Services.AddSingleton<ICompositionEventTarget, RedisEventSink>();
        builder.Services.AddSingleton<ICompositionEventSink, FanOutEventSink>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>The connection settings of every multiplexer this service opens (its own and the SignalR backplane's).</summary>
    public static ConfigurationOptions Configure(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        // While disconnected, fail a command at once instead of queueing it until AsyncTimeout: every caller
        // falls back (rate limit off, event dropped), so waiting only made each request slow. The circuit
        // covers the case this cannot see: a connection that looks open but gets no answers.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    private static bool IsParsable(string value)
    {
        try { ConfigurationOptions.Parse(value); return true; }
        catch (ArgumentException) { return false; }
    }
}
