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
                o.Configuration = ConfigurationOptions.Parse(redis);
                o.Configuration.AbortOnConnectFail = false;
                o.Configuration.ChannelPrefix = RedisChannel.Literal("ffmpegfunctions:signalr");
            });
        }
        builder.Services.AddSingleton<ICompositionEventTarget, SignalREventTarget>();
        return builder;
    }
}
