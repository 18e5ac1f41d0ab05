namespace FfmpegFunctions.Core.Progress;

/// <summary>Sends every event to each registered sink (e.g. Redis and SignalR).</summary>
public sealed class FanOutEventSink(IEnumerable<ICompositionEventTarget> targets) : ICompositionEventSink
{
    private readonly ICompositionEventTarget[] targets = [.. targets];

    public Task PublishAsync(ProgressEvent progress, CancellationToken cancellationToken) =>
        Task.WhenAll(targets.Select(t => t.PublishAsync(progress, cancellationToken)));

    public Task PublishAsync(StatusEvent status, CancellationToken cancellationToken) =>
        Task.WhenAll(targets.Select(t => t.PublishAsync(status, cancellationToken)));

    public Task PublishAsync(ErrorEvent error, CancellationToken cancellationToken) =>
        Task.WhenAll(targets.Select(t => t.PublishAsync(error, cancellationToken)));
}

/// <summary>One destination of events; hosts register theirs (the Server adds SignalR).</summary>
public interface ICompositionEventTarget : ICompositionEventSink;
