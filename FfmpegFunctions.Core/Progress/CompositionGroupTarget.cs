using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Progress;

/// <summary>
/// What a SignalR client subscribed to a composition receives, the same from the Server's hub and
/// from SignalR Service in the Functions app: "progress", "status", then "completed" or "failed".
/// Hosts only say how a message reaches the composition's group.
/// </summary>
public abstract class CompositionGroupTarget : ICompositionEventTarget
{
    public static string GroupName(Guid compositionId) => $"composition:{compositionId:D}";

    public Task PublishAsync(ProgressEvent progress, CancellationToken cancellationToken) =>
        SendAsync(progress.CompositionId, "progress", progress, cancellationToken);

    public async Task PublishAsync(StatusEvent status, CancellationToken cancellationToken)
    {
        await SendAsync(status.CompositionId, "status", status, cancellationToken);
        if (status.Status == CompositionStatus.Completed) await SendAsync(status.CompositionId, "completed", status, cancellationToken);
    }

    public Task PublishAsync(ErrorEvent error, CancellationToken cancellationToken) =>
        SendAsync(error.CompositionId, "failed", error, cancellationToken);

    /// <summary>Delivers one message to the composition's group; must not throw for delivery trouble (events are a live view).</summary>
    protected abstract Task SendAsync(Guid compositionId, string method, object message, CancellationToken cancellationToken);
}
