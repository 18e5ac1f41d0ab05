using System.ComponentModel.DataAnnotations;
using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// Section Workflow, the part both engines share: how transient failures are retried. The Server's engine writes
/// MaxAttempts into each job it claims; the Functions app captures the whole policy in each orchestration's input.
/// </summary>
public sealed class WorkflowRetryOptions
{
    public const string Section = "Workflow";

    /// <summary>Attempts per job (and per fanned-out task) before a transient failure becomes final.</summary>
    [Range(1, 20, ErrorMessage = "The setting 'Workflow:MaxAttempts' must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "The setting 'Workflow:RetryBaseDelay' must be between 0 and 1 h.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "The setting 'Workflow:RetryMaxDelay' must be between 0 and 1 day.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    public RetryPolicy Policy => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);
}
