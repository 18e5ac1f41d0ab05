namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>
/// When a transient failure is tried again, for both engines (the Server releases the job or task for later, Durable
/// waits on a durable timer): exponential backoff from <paramref name="BaseDelay"/>, capped at
/// <paramref name="MaxDelay"/>, each delay a point in the upper half of its step (jitter), so jobs that failed together
/// (an S3 or database blip) do not all come back at the same instant.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <param name="jitter">A value in [0, 1): random in the Server, derived from the orchestration's replay-safe
    /// random in Durable (an orchestrator may not call Random).</param>
    public TimeSpan Delay(int attempt, double jitter)
    {
        var delay = BaseDelay * Math.Pow(2, Math.Max(0, attempt - 1));
        if (delay > MaxDelay) delay = MaxDelay;
        return delay * (0.5 + Math.Clamp(jitter, 0, 1) / 2);
    }

    /// <returns>The wait before attempt <paramref name="attempt"/> + 1, or null when <paramref name="attempt"/> was the last.</returns>
    public TimeSpan? NextDelay(int attempt, double jitter) => attempt >= MaxAttempts ? null : Delay(attempt, jitter);
}
