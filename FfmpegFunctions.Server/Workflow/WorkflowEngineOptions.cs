using System.ComponentModel.DataAnnotations;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>Section Workflow: the PostgreSQL engine that runs render workflows in the Server.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>Run workers in this instance (false: API only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs rendered at once by this instance; ffmpeg uses several cores per job, so half the cores by default.</summary>
    [Range(1, 64, ErrorMessage = "The setting 'Workflow:MaxConcurrentJobs' must be between 1 and 64.")]
    public int MaxConcurrentJobs { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long a claim lasts without a heartbeat before another instance may take the job.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = "The setting 'Workflow:LeaseDuration' must be between 3 s and 1 h.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeat period: renews the lease and notices cancellation requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "The setting 'Workflow:HeartbeatInterval' must be between 100 ms and 5 min.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a job's owner looks at its fanned-out tasks while others run them.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10", ErrorMessage = "The setting 'Workflow:TaskPollInterval' must be between 50 ms and 10 s.")]
    public TimeSpan TaskPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Fallback poll when no notification arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "The setting 'Workflow:PollInterval' must be between 50 ms and 1 min.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    // Workflow:MaxAttempts, RetryBaseDelay and RetryMaxDelay live in Core's WorkflowRetryOptions: both engines read them.

    /// <summary>
    /// Priorities this instance claims: "all" (default) or a comma-separated list of high, default, low
    /// (e.g. "high" for a worker kept free for urgent renders). Jobs of a priority no instance claims wait.
    /// </summary>
    public string Priorities { get; set; } = "all";

    /// <summary>The stored codes of <see cref="Priorities"/>; null for all (no filter in the claim). A method, not a property, so validation never calls it before the value is checked.</summary>
    public short[]? PriorityCodes() => ParsePriorities(Priorities);

    /// <summary>null for "all"; throws <see cref="FormatException"/> naming the setting for an unknown name.</summary>
    public static short[]? ParsePriorities(string? value)
    {
        var names = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new FormatException("The setting 'Workflow:Priorities' must be 'all' or a comma-separated list of high, default, low.");
        if (names is [var only] && only.Equals("all", StringComparison.OrdinalIgnoreCase)) return null;
        return [.. names.Select(n => Enum.TryParse<Priority>(n, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(n, out _)
                ? Core.Compositions.PriorityCodes.ToCode(p)
                : throw new FormatException($"The setting 'Workflow:Priorities' has '{n}': use 'all' or a comma-separated list of high, default, low."))
            .Distinct().Order()];
    }

    /// <summary>This instance's name in leases; unique per process by default.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
