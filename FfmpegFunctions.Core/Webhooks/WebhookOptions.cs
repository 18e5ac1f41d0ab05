using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>Section Webhooks.</summary>
public sealed class WebhookOptions
{
    /// <summary>Accept callbackUrl, enqueue events and deliver them. Off: a callbackUrl is refused at creation.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>HMAC-SHA256 key of the Webhook-Signature header; required when enabled (checked on start).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Allow callbacks to loopback, private, link-local and other non-public addresses (development, tests).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long resolving a callback host may take before the target is refused.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "The setting 'Webhooks:DnsTimeout' must be between 100 ms and 30 s.")]
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Idle wait of the dispatcher between looks for due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "The setting 'Webhooks:PollInterval' must be between 50 ms and 5 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one POST.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "The setting 'Webhooks:Timeout' must be between 100 ms and 1 minute.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after the first failed attempt; it doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "The setting 'Webhooks:RetryBaseDelay' must be between 10 ms and 1 hour.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "The setting 'Webhooks:MaxRetryDelay' must be between 10 ms and 1 day.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No attempt is made later than this after the event; a delivery still failing then is marked failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00", ErrorMessage = "The setting 'Webhooks:MaxRetryWindow' must be between 10 ms and 7 days.")]
    public TimeSpan MaxRetryWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries one dispatcher claims per round.</summary>
    [Range(1, 100, ErrorMessage = "The setting 'Webhooks:BatchSize' must be between 1 and 100.")]
    public int BatchSize { get; set; } = 10;

    /// <summary>The wait before attempt <paramref name="attempt"/>+1, after <paramref name="attempt"/> failures.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * factor, MaxRetryDelay.Ticks));
    }
}
