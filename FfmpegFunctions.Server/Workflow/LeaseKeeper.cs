using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>A renewal's answer: whether the lease is still ours, and a client's stop of the composition if any.</summary>
public sealed record Lease(bool Held, string? Stop = null);

/// <summary>
/// The heartbeat of every claimed run, job or task alike: renews the lease each Workflow:HeartbeatInterval, passes a
/// client's stop to the step host, and cancels the run when the lease is lost or cannot be kept.
/// </summary>
/// <remarks>
/// The lease runs from the database's now() at renewal, which is never before the moment the renewal was sent; so
/// counting from the send, the run gives up at half the lease at the latest (each renewal's deadline is the time left
/// until then), and another instance can only claim the work once the whole lease ran out.
/// </remarks>
public sealed class LeaseKeeper(IOptions<WorkflowEngineOptions> options, TimeProvider clock, ILogger<LeaseKeeper> logger)
{
    /// <param name="renew">One renewal, which must answer within the deadline it is given.</param>
    /// <returns>When <paramref name="run"/> ends; true if this heartbeat cancelled it because the lease was lost.</returns>
    public async Task<bool> KeepAsync(string what, Func<TimeSpan, CancellationToken, Task<Lease>> renew, StepStop stop, CancellationTokenSource run)
    {
        var settings = options.Value;
        var giveUpAfter = settings.LeaseDuration / 2;
        var lastRenewed = clock.GetUtcNow();
        using var timer = new PeriodicTimer(settings.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                var sent = clock.GetUtcNow();
                try
                {
                    var deadline = giveUpAfter - (sent - lastRenewed);
                    if (deadline <= TimeSpan.Zero) throw new TimeoutException($"No renewal of {what} succeeded for {giveUpAfter.TotalSeconds:0.###} s.");
                    var lease = await renew(deadline, run.Token);
                    if (!lease.Held) return await LostAsync(what, run);
                    lastRenewed = sent;
                    if (lease.Stop is { } status) stop.Request(status);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    WorkflowEngineLog.HeartbeatFailed(logger, ex, what);
                    // Stop well before the lease can expire, so two instances never run the same work.
                    if (clock.GetUtcNow() - lastRenewed >= giveUpAfter) return await LostAsync(what, run);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    private async Task<bool> LostAsync(string what, CancellationTokenSource run)
    {
        WorkflowEngineLog.LeaseLost(logger, what);
        await run.CancelAsync();
        return true;
    }
}
