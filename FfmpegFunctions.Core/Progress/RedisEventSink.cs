using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

/// <summary>Publishes events as JSON on the seed's channels: composition:{id}:progress|status|error.</summary>
internal sealed partial class RedisEventSink(IConnectionMultiplexer redis, ILogger<RedisEventSink> logger) : ICompositionEventTarget
{
    public Task PublishAsync(ProgressEvent progress, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Progress(progress.CompositionId), JsonSerializer.Serialize(progress, JsonSerializerOptions.Web));

    public Task PublishAsync(StatusEvent status, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Status(status.CompositionId), JsonSerializer.Serialize(status, JsonSerializerOptions.Web));

    public Task PublishAsync(ErrorEvent error, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Error(error.CompositionId), JsonSerializer.Serialize(error, JsonSerializerOptions.Web));

    private async Task PublishAsync(string channel, string json)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), json);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Events are a live view; the database keeps the truth, so a Redis outage must not fail the render.
            LogPublishFailed(logger, ex, channel);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not publish to {Channel}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string channel);
}
