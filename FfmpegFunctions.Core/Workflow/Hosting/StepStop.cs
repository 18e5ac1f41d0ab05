namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>
/// A client's stop (cancel or delete) as the engine learns it: the Server's heartbeat reads it from the job row, the
/// Functions app's step host polls for it. Requesting cancels <see cref="Token"/>, which the step host links into the
/// running step, so ffmpeg is killed; the reason then tells a stop from a shutdown.
/// </summary>
public sealed class StepStop : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private volatile string? reason;

    public CancellationToken Token => source.Token;

    /// <summary>"cancelled" or "deleted" once stopped; null while the composition may go on.</summary>
    public string? Reason => reason;

    public void Request(string status)
    {
        reason ??= status;
        try { source.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public void Dispose() => source.Dispose();
}
