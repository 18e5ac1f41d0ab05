using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Progress;

/// <summary>Settings under "Redis:Circuit": when callers of Redis (the rate limiter, event publishing) stop waiting for it.</summary>
public sealed class RedisCircuitOptions
{
    /// <summary>Timeouts or connection failures in a row that open the circuit.</summary>
    [Range(1, 100, ErrorMessage = "The setting 'Redis:Circuit:FailuresToOpen' must be between 1 and 100.")]
    public int FailuresToOpen { get; set; } = 2;

    /// <summary>How long the circuit stays open before a call is tried again (in the background).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest a request waits for one Redis call while the circuit is closed.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>While open, how often the circuit repeats its warning (with the number of events dropped).</summary>
    public TimeSpan WarningInterval { get; set; } = TimeSpan.FromSeconds(30);
}
