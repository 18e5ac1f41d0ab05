using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// Section Workflow, the part both engines share: the Server's PostgreSQL engine writes it into each job it
/// claims and the Functions host builds its Durable retry policy from it, so one setting decides in both.
/// </summary>
public sealed class WorkflowRetryOptions
{
    public const string Section = "Workflow";

    /// <summary>Attempts per job before a transient failure becomes final.</summary>
    [Range(1, 20, ErrorMessage = "The setting 'Workflow:MaxAttempts' must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 4;
}

/// <summary>The claim a step runs under (the Server's engine): a write only counts while the job is still
/// processing under this owner and this attempt, so a worker that lost its lease cannot publish.</summary>
/// <param name="JobId">The jobs row id.</param>
public sealed record JobFence(Guid JobId, string Owner, int Attempt);

/// <summary>The step's claim on its job is gone (another worker holds it now): stop without writing anything.</summary>
public sealed class JobClaimLostException(Guid compositionId)
    : Exception($"The claim on the job of composition {compositionId} was lost; another worker owns it now.");
