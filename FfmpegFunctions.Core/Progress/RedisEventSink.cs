using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

/// <summary>Publishes events as JSON on the seed's channels: composition:{id}:progress|status|error.</summary>
internal sealed partial class RedisEventSink(IConnectionMultiplexer redis, RedisCircuit circuit, ILogger<RedisEventSink> logger) : ICompositionEventTarget
{
    public Task PublishAsync(ProgressEvent progress, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Progress(progress.CompositionId), JsonSerializer.Serialize(progress, JsonSerializerOptions.Web));

    public Task PublishAsync(StatusEvent status, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Status(status.CompositionId), JsonSerializer.Serialize(status, JsonSerializerOptions.Web));

    public Task PublishAsync(ErrorEvent error, CancellationToken cancellationToken) =>
        PublishAsync(CompositionChannels.Error(error.CompositionId), JsonSerializer.Serialize(error, JsonSerializerOptions.Web));

    private async Task PublishAsync(string channel, string json)
    {
        // Events are a live view; the database keeps the truth, so a Redis outage must neither fail nor slow the render.
        // Not cancelled with the caller (as before the circuit): the circuit bounds the wait, and the last events of
        // a cancelled render (its status) are published under a token that may already be cancelled.
        try
        {
            var result = await circuit.RunAsync(() => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), json), CancellationToken.None);
            // While the circuit is open it warns for all dropped events at once, not once per event.
            if (result.ShortCircuited) circuit.NoteDropped();
            else if (result.Error is not null) LogPublishFailed(logger, result.Error, channel);
        }
        catch (RedisException ex)
        {
            LogPublishFailed(logger, ex, channel);
        }
    }

    [LoggerMessage(EventId = CoreEvents.EventNotPublished, Level = LogLevel.Warning, Message = "Could not publish to {Channel}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string channel);
}
