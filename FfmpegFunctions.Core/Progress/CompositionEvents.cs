namespace FfmpegFunctions.Core.Progress;

/// <summary>Render progress 0-100 of one composition.</summary>
/// <param name="Eta">When the render should end at the pace measured so far; null until progress has moved.</param>
public sealed record ProgressEvent(Guid CompositionId, double Progress, string Step, DateTimeOffset Timestamp, DateTimeOffset? Eta = null);

/// <summary>A lifecycle change: processing, completed, failed, cancelled, deleted.</summary>
public sealed record StatusEvent(Guid CompositionId, string Status, DateTimeOffset Timestamp, string? Step = null, OutputMetadata? Output = null);

/// <summary>Why a composition failed, for people.</summary>
public sealed record ErrorEvent(Guid CompositionId, string Error, string Step, DateTimeOffset Timestamp);

/// <summary>What was produced, from ffprobe of the output.</summary>
public sealed record OutputMetadata(double Duration, long SizeBytes, int Width, int Height, string Format);

/// <summary>Where composition events go (Redis channels, SignalR groups, both). Publishing never fails a render.</summary>
public interface ICompositionEventSink
{
    Task PublishAsync(ProgressEvent progress, CancellationToken cancellationToken);
    Task PublishAsync(StatusEvent status, CancellationToken cancellationToken);
    Task PublishAsync(ErrorEvent error, CancellationToken cancellationToken);
}

/// <summary>The seed's Redis channel names.</summary>
public static class CompositionChannels
{
    public static string Progress(Guid compositionId) => $"composition:{compositionId:D}:progress";
    public static string Status(Guid compositionId) => $"composition:{compositionId:D}:status";
    public static string Error(Guid compositionId) => $"composition:{compositionId:D}:error";
}
