namespace FfmpegFunctions.Core.Workflow;

/// <summary>The step's claim on its job is gone (another worker holds it now): stop without writing anything.</summary>
public sealed class ClaimLostException(Guid compositionId)
    : Exception($"The claim on the job of composition {compositionId} was lost; another worker owns it now.");
