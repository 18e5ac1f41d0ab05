using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Options;
using FfmpegFunctions.Functions.Dispatch;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// The Functions app's adapter of the <see cref="StepHost"/>: runs one step as a Durable activity. Durable owns the
/// instance (writes are always held), so the attempt is the step's rerun count and the stop is polled while the step
/// runs (terminating an orchestration does not cancel its running activity). A failure is thrown as it was raised,
/// so Durable's retry handler sees what caused it (<see cref="DurableWorkflowContext"/>).
/// </summary>
public sealed class StepActivities(StepHost host, StepJournal journal, FunctionsJobQueue queue, IOptions<DispatchOptions> options)
{
    public async Task<StepResult<TResult>> RunAsync<TInput, TResult>(WorkflowStep<TInput, TResult> step, TInput input, CancellationToken cancellationToken)
        where TInput : IStepInput
    {
        var render = input.Render;
        var attempt = await journal.BeginAttemptAsync(render.CompositionId, step.KeyOf(input), cancellationToken);
        using var stop = new StepStop();
        var run = new StepRun(ClaimGuard.Always, attempt, options.Value.InstanceId, stop, PollForStop: options.Value.StopPollInterval);
        var outcome = await host.RunAsync(step, input, run, cancellationToken);
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Done:
                return StepResult<TResult>.Done(outcome.Value!);
            case StepOutcomeKind.Stopped:
                // The host removed what the job left; the job ends here, as the Server's worker ends it.
                await queue.FinishStoppedAsync(render.CompositionId, CancellationToken.None);
                return StepResult<TResult>.Stopped(outcome.Reason!);
            case StepOutcomeKind.ClaimLost:
                throw new InvalidOperationException($"Step {step.Name} reported a lost claim, which a Durable activity never holds.");
            default:
                ExceptionDispatchInfo.Throw(outcome.Error!);
                throw new UnreachableException();
        }
    }
}
