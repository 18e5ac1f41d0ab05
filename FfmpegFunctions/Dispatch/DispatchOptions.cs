using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>Section Dispatch: how the Functions host turns queued jobs into running orchestrations.</summary>
public sealed class DispatchOptions
{
    /// <summary>
    /// Renders running at once across all instances of the app (the jobs table counts them, so scale-out
    /// does not multiply it). Each ffmpeg uses several cores; host.json's maxConcurrentActivityFunctions caps one instance.
    /// </summary>
    [Range(1, 256, ErrorMessage = "The setting 'Dispatch:MaxConcurrentRenders' must be between 1 and 256.")]
    public int MaxConcurrentRenders { get; set; } = 4;

    /// <summary>How often a running step looks for a cancel or delete of its composition.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05", ErrorMessage = "The setting 'Dispatch:StopPollInterval' must be between 50 ms and 5 s.")]
    public TimeSpan StopPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A processing job untouched this long is checked against its orchestration (a render writes progress every
    /// 500 ms and step rows after each step; a retry waits at most 20 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "The setting 'Dispatch:ReconcileAfter' must be between 1 s and 1 day.")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>This worker's name in job_steps.owner.</summary>
    public string InstanceId { get; set; } =
        Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 } azure
            ? azure[..Math.Min(azure.Length, 16)] + "-" + Environment.ProcessId
            : $"{Environment.MachineName}-{Environment.ProcessId}";
}
