using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>The claim a job runs under: a write only counts while the job is still processing under this owner and this
/// attempt, so a worker that lost its lease (even to itself, re-claiming after a stall) cannot publish.</summary>
/// <param name="JobId">The jobs row id.</param>
public sealed record JobFence(Guid JobId, string Owner, int Attempt)
{
    /// <summary>The claim as the predicate Core's guarded writes AND in.</summary>
    public ClaimGuard Guard() => new(
        "EXISTS (SELECT 1 FROM jobs claim WHERE claim.id = @claimJob AND claim.lease_owner = @claimOwner AND claim.attempts = @claimAttempt AND claim.status = 'processing')",
        [("claimJob", JobId), ("claimOwner", Owner), ("claimAttempt", Attempt)]);
}
