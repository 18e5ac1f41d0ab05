using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>Section Render.</summary>
public sealed class RenderOptions
{
    /// <summary>
    /// Longer renders are split into segments of about this many seconds, rendered in parallel (any worker, any
    /// instance) and joined by stream copy; 0 never splits. 60 s: each segment's fixed costs (process start, decoding
    /// into a clip it starts inside, a fresh keyframe, an upload) stay a few percent of its encode, and a segment of
    /// 1080p at a slow preset still ends well inside Flex Consumption's 30-minute function timeout.
    /// </summary>
    [Range(0, 3600, ErrorMessage = "The setting 'Render:SegmentSeconds' must be between 0 (never split) and 3600.")]
    public double SegmentSeconds { get; set; } = 60;

    /// <summary>Local scratch space for inputs and outputs of running jobs (one folder per job, removed after it).</summary>
    [Required(ErrorMessage = "The setting 'Render:WorkDirectory' is required.")]
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-work");

    /// <summary>Inputs downloaded at once per job.</summary>
    [Range(1, 16, ErrorMessage = "The setting 'Render:DownloadConcurrency' must be between 1 and 16.")]
    public int DownloadConcurrency { get; set; } = 4;

    /// <summary>How often running progress is written to PostgreSQL (events go out on every report).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "The setting 'Render:ProgressPersistInterval' must be between 100 ms and 1 minute.")]
    public TimeSpan ProgressPersistInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Distinct inputs (clips, music, images) one composition may read.</summary>
    [Range(1, 1000, ErrorMessage = "The setting 'Render:MaxInputs' must be between 1 and 1000.")]
    public int MaxInputs { get; set; } = 50;

    /// <summary>Largest single input; checked from the object's size before it is downloaded.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "The setting 'Render:MaxInputBytes' must be positive.")]
    public long MaxInputBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>All inputs of one composition together (the job's local disk holds them all at once).</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "The setting 'Render:MaxTotalInputBytes' must be positive.")]
    public long MaxTotalInputBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
