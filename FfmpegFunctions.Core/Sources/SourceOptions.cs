using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Sources;

/// <summary>Section Sources: what a composition may name as media beyond its stored uploads, and how sources are checked.</summary>
public sealed class SourceOptions
{
    /// <summary>Accept <c>http://</c> source URLs (only <c>https://</c> otherwise). For development and tests.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow source URLs on loopback, private, link-local and other non-public addresses (development, tests).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Check at creation that every stored source (object key or upload id) exists. Off only where inputs are
    /// written after the composition is created (the render then fails at the probe, with the pointer).</summary>
    public bool CheckStoredAtCreation { get; set; } = true;

    /// <summary>How long the existence checks of one creation may take together before it answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "The setting 'Sources:CheckTimeout' must be between 100 ms and 30 s.")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long resolving a source URL's host may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "The setting 'Sources:DnsTimeout' must be between 100 ms and 30 s.")]
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long connecting to a source URL's host may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "The setting 'Sources:ConnectTimeout' must be between 100 ms and 1 minute.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one source URL's whole download (redirects included) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "The setting 'Sources:DownloadTimeout' must be between 1 s and 1 hour.")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Redirects followed per source URL (each target checked like the first).</summary>
    public const int MaxRedirects = 5;
}
