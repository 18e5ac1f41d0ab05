namespace FfmpegFunctions.Core.Workflow;

/// <summary>A step failed for good: a permanent error, or transient ones until the retries ran out.</summary>
public sealed class StepFailedException(string step, string reason, Exception? inner = null)
    : Exception($"Step '{step}' failed: {reason}", inner)
{
    public string Step { get; } = step;
    public string Reason { get; } = reason;
}
