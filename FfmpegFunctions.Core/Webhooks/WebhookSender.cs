using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>
/// Delivers due webhooks from the outbox: claims them (SKIP LOCKED, so several instances share the work), POSTs each
/// signed event through the SSRF-guarded client, marks 2xx delivered and retries anything else with exponential
/// backoff until <see cref="WebhookOptions.MaxRetryWindow"/> has passed, then marks it failed. The Server calls it
/// in a loop, the Functions app from a timer.
/// </summary>
public sealed partial class WebhookSender(
    WebhookDeliveryStore store,
    IHttpClientFactory clients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    private const int MaxErrorLength = 500;

    /// <returns>How many deliveries were attempted (a full batch means more may be due).</returns>
    public async Task<int> DispatchDueAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return 0;
        // A claim outlives the POST's time limit, so no other dispatcher takes a delivery that is still being sent.
        var lease = settings.Timeout + TimeSpan.FromSeconds(30);
        var due = await store.ClaimAsync(settings.BatchSize, lease, stoppingToken);
        await Task.WhenAll(due.Select(d => DeliverAsync(d, settings, stoppingToken)));
        return due.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, WebhookOptions settings, CancellationToken stoppingToken)
    {
        var attempt = await PostAsync(delivery, settings, stoppingToken);
        // The attempt is recorded even while stopping: it happened.
        var status = await store.RecordAttemptAsync(delivery, attempt, settings.RetryDelay(delivery.Attempt), settings.MaxRetryWindow, CancellationToken.None);
        if (attempt.Succeeded) LogDelivered(logger, delivery.Id, delivery.CompositionId, attempt.StatusCode!.Value, delivery.Attempt);
        else LogAttemptFailed(logger, delivery.Id, delivery.CompositionId, delivery.Attempt, attempt.StatusCode, attempt.Error, status);
    }

    private async Task<DeliveryAttempt> PostAsync(ClaimedDelivery delivery, WebhookOptions settings, CancellationToken stoppingToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.Id.ToString("D"));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.SigningSecret!, timestamp, delivery.Payload));

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(WebhookExtensions.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new DeliveryAttempt((int)response.StatusCode, null, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(null, $"no answer within {settings.Timeout.TotalSeconds:0.#} s", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            return new DeliveryAttempt(null, "interrupted: the service was stopping", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            // Whatever went wrong is this attempt's outcome (refused target, DNS, TLS, reset...): record it and retry.
            var message = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
            return new DeliveryAttempt(null, message.Length > MaxErrorLength ? message[..MaxErrorLength] : message, Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(EventId = CoreEvents.WebhookDelivered, Level = LogLevel.Information, Message = "Webhook {DeliveryId} for composition {CompositionId} delivered ({StatusCode}) at attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, Guid compositionId, int statusCode, int attempt);

    [LoggerMessage(EventId = CoreEvents.WebhookAttemptFailed, Level = LogLevel.Warning, Message = "Webhook {DeliveryId} for composition {CompositionId} attempt {Attempt} failed (status {StatusCode}, error {Error}); now {DeliveryStatus}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Guid compositionId, int attempt, int? statusCode, string? error, string deliveryStatus);
}
