using FfmpegFunctions.Core.Retention;
using Microsoft.Azure.Functions.Worker;

namespace FfmpegFunctions.Functions.Retention;

/// <summary>
/// The retention sweep on Azure Functions: binds a timer and delegates to Core's <see cref="RetentionSweeper"/>
/// (needs <c>builder.AddRetention()</c> in Program.cs). Every instance may fire; the sweeper's PostgreSQL
/// advisory lock lets one sweep at a time. Hourly, like the Server's default Storage:RetentionSweepInterval.
/// </summary>
public sealed class RetentionFunctions(RetentionSweeper sweeper)
{
    [Function("SweepRetention")]
    public Task RunAsync([TimerTrigger("0 17 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
