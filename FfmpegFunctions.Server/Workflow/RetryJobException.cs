namespace FfmpegFunctions.Server.Workflow;

/// <summary>A transient step failure: the job goes back to the queue and resumes from its checkpoints later.</summary>
internal sealed class RetryJobException(string step, TimeSpan delay, Exception inner)
    : Exception($"Step '{step}' failed and will be retried in {delay.TotalSeconds:0.#} s: {inner.Message}", inner)
{
    public TimeSpan Delay { get; } = delay;
}
