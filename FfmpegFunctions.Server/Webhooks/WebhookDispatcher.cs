using FfmpegFunctions.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Server.Webhooks;

/// <summary>Keeps draining the webhook outbox while the Server runs; the delivery itself is Core's <see cref="WebhookSender"/>.</summary>
internal sealed partial class WebhookDispatcher(
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var attempted = await sender.DispatchDueAsync(stoppingToken);
                if (attempted < settings.BatchSize) await Task.Delay(settings.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDispatchFailed(logger, ex);
                try { await Task.Delay(settings.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(EventId = ServerEvents.WebhookClaimFailed, Level = LogLevel.Error, Message = "The webhook dispatcher could not claim deliveries")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
