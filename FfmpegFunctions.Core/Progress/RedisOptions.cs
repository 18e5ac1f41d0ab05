using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Progress;

/// <summary>Bound from ConnectionStrings:Redis (StackExchange.Redis configuration string).</summary>
public sealed class RedisOptions
{
    [Required(ErrorMessage = "The setting 'ConnectionStrings:Redis' is required (e.g. 127.0.0.1:6379).")]
    public string? ConnectionString { get; set; }
}
