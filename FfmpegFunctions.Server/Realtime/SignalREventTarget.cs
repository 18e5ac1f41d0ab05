using FfmpegFunctions.Core.Progress;
using Microsoft.AspNetCore.SignalR;

namespace FfmpegFunctions.Server.Realtime;

/// <summary>
/// Sends composition events to the composition's SignalR group (on every instance, through the Redis backplane).
/// A group send is only a publish on Redis (even this instance's clients get it back from there), so while the
/// circuit is open nothing could be delivered: the event is dropped at once instead of waiting for the backplane.
/// </summary>
internal sealed partial class SignalREventTarget(IHubContext<CompositionsHub> hub, RedisCircuit circuit, ILogger<SignalREventTarget> logger)
    : CompositionGroupTarget
{
    protected override async Task SendAsync(Guid compositionId, string method, object message, CancellationToken cancellationToken)
    {
        try
        {
            var result = await circuit.RunAsync(() => hub.Clients.Group(GroupName(compositionId)).SendAsync(method, message, cancellationToken),
                cancellationToken);
            if (result.ShortCircuited) circuit.NoteDropped();
            else if (result.Error is not null) LogSendFailed(logger, result.Error, method, compositionId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A live view only: the database has the truth, so a backplane hiccup must not fail the render.
            LogSendFailed(logger, ex, method, compositionId);
        }
    }

    [LoggerMessage(EventId = ServerEvents.HubSendFailed, Level = LogLevel.Warning, Message = "Could not send {Method} for composition {CompositionId} over SignalR")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string method, Guid compositionId);
}
