using FfmpegFunctions.Core.Progress;
using Microsoft.AspNetCore.SignalR;

namespace FfmpegFunctions.Server.Realtime;

/// <summary>Sends composition events to the composition's SignalR group (on every instance, through the Redis backplane).</summary>
internal sealed partial class SignalREventTarget(IHubContext<CompositionsHub> hub, ILogger<SignalREventTarget> logger) : CompositionGroupTarget
{
    protected override async Task SendAsync(Guid compositionId, string method, object message, CancellationToken cancellationToken)
    {
        try
        {
            await hub.Clients.Group(GroupName(compositionId)).SendAsync(method, message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A live view only: the database has the truth, so a backplane hiccup must not fail the render.
            LogSendFailed(logger, ex, method, compositionId);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Could not send {Method} for composition {CompositionId} over SignalR")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string method, Guid compositionId);
}
