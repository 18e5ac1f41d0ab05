using FfmpegFunctions.Core.Retention;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Retention;

/// <summary>
/// Runs Core's <see cref="RetentionSweeper"/> every Storage:RetentionSweepInterval. Every instance runs one;
/// the sweeper's advisory lock makes the others skip while one sweeps. The first sweep waits a little
/// (at most 5 minutes) so a restart loop does not sweep on every start, yet frequent deploys still sweep.
/// </summary>
internal sealed partial class RetentionSweepService(
    RetentionSweeper sweeper,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionSweepService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxFirstDelay = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RetentionEnabled) return;
        var delay = settings.RetentionSweepInterval < MaxFirstDelay ? settings.RetentionSweepInterval : MaxFirstDelay;
        try
        {
            while (true)
            {
                await Task.Delay(delay, clock, stoppingToken);
                delay = settings.RetentionSweepInterval;
                try
                {
                    await sweeper.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Storage or the database failing is retried at the next interval; every step is idempotent.
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = ServerEvents.RetentionSweepFailed, Level = LogLevel.Error, Message = "The retention sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
