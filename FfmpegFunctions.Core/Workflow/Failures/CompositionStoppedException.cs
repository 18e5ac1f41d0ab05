namespace FfmpegFunctions.Core.Workflow;

/// <summary>The composition was cancelled or deleted while its workflow ran: stop quietly, this is not a failure.</summary>
public sealed class CompositionStoppedException(Guid compositionId, string status)
    : OperationCanceledException($"The composition {compositionId} was {status}.")
{
    public string Status { get; } = status;
}
