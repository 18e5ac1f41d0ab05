using FfmpegFunctions.Core.Progress;
using StackExchange.Redis;

namespace FfmpegFunctions.Server.Realtime;

public static class RealtimeExtensions
{
    /// <summary>SignalR with the Redis backplane, so a client on any instance gets events produced on any other.</summary>
    public static IHostApplicationBuilder AddRealtime(this IHostApplicationBuilder builder)
    {
        var signalR = builder.Services.AddSignalR();
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (!string.IsNullOrEmpty(redis))
        {
            signalR.AddStackExchangeRedis(o =>
            {
                // Its own multiplexer (the channel prefix is a connection setting, and the event channels must stay
                // unprefixed), with the same fail-fast settings as the process's one.
                o.Configuration = RedisExtensions.Configure(redis);
                o.Configuration.ChannelPrefix = RedisChannel.Literal("ffmpegfunctions:signalr");
            });
        }
        builder.Services.AddSingleton<ICompositionEventTarget, SignalREventTarget>();
        return builder;
    }
}
