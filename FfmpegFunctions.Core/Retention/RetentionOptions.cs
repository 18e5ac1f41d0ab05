using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Retention;

/// <summary>Retention settings, in section "Storage" (Storage:OutputRetention ...).</summary>
public sealed class RetentionOptions
{
    /// <summary>Run the sweeper in this host (any number of instances may: one sweeps at a time).</summary>
    public bool RetentionEnabled { get; set; } = true;

    /// <summary>How long a completed composition's video and thumbnail are kept; then it becomes 'expired'.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "The setting 'Storage:OutputRetention' must be between 1 and 3650 days.")]
    public TimeSpan OutputRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long an uploaded input is kept after the newest composition that uses it was created. 30 days:
    /// long enough to fix and re-submit a composition, short enough that source media (usually the
    /// largest objects) does not pile up once its output exists.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "The setting 'Storage:InputRetention' must be between 1 and 3650 days.")]
    public TimeSpan InputRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An upload no composition references is deleted this long after it was stored (keep it above S3:PresignExpiry).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "The setting 'Storage:AbandonedUploadRetention' must be between 1 hour and 3650 days.")]
    public TimeSpan AbandonedUploadRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Time between sweeps; the first runs after this or 5 minutes, whichever is shorter.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "The setting 'Storage:RetentionSweepInterval' must be between 1 s and 7 days.")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Compositions or listed objects handled per database round trip / list call.</summary>
    [Range(10, 1000, ErrorMessage = "The setting 'Storage:RetentionBatchSize' must be between 10 and 1000.")]
    public int RetentionBatchSize { get; set; } = 100;
}
