using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Security;

/// <summary>Settings under "RateLimit": one token bucket per API key, shared by every instance through Redis.
/// Every instance must use the same values (the bucket's state is shared, its parameters come with each call).</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second per key.</summary>
    [Range(0.001, 100_000, ErrorMessage = "The setting 'RateLimit:PermitsPerSecond' must be between 0.001 and 100000.")]
    public double PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a key may make at once after being idle.</summary>
    [Range(1, 1_000_000, ErrorMessage = "The setting 'RateLimit:Burst' must be between 1 and 1000000.")]
    public int Burst { get; set; } = 40;

    /// <summary>Per client IP, for credentials that would cost a database lookup (unknown or not yet cached keys):
    /// guessing keys costs a Redis call, not a database UPDATE, and is slow.</summary>
    [Range(0.001, 100_000, ErrorMessage = "The setting 'RateLimit:UnauthenticatedPermitsPerSecond' must be between 0.001 and 100000.")]
    public double UnauthenticatedPermitsPerSecond { get; set; } = 1;

    [Range(1, 1_000_000, ErrorMessage = "The setting 'RateLimit:UnauthenticatedBurst' must be between 1 and 1000000.")]
    public int UnauthenticatedBurst { get; set; } = 10;
}
