namespace FfmpegFunctions.Core.Workflow;

/// <summary>Thrown by a step for failures that retrying cannot fix (missing input, invalid media, an impossible spec).</summary>
public sealed class PermanentStepException(string reason, Exception? inner = null) : Exception(reason, inner);
