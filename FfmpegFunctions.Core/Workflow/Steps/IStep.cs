using FfmpegFunctions.Core.Workflow.Hosting;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>
/// One step of the render workflow: idempotent (deterministic keys, upserts, status-guarded writes), so running it
/// twice is harmless, and every write it makes is guarded by the engine's claim (<see cref="StepRun.Guard"/>).
/// </summary>
public interface IStep<in TInput, TResult>
{
    Task<TResult> RunAsync(TInput input, StepRun run, CancellationToken cancellationToken);
}
