using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Observability;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// The render workflow as Durable Functions: Core's <see cref="RenderWorkflow"/> is the orchestrator and
/// each <see cref="RenderSteps"/> method is an activity of the step's name, run through <see cref="StepRunner"/>
/// (attempts, step times, cancel watch). Activities run at least once; the steps are idempotent (deterministic
/// keys, status-guarded writes), which is what makes that safe. The two final steps free a render slot, so they
/// kick the dispatcher with their own Durable client.
/// </summary>
public sealed partial class RenderFunctions(
    RenderSteps steps, StepRunner runner, RenderDispatcher dispatcher, FunctionsMetrics metrics, IOptions<WorkflowRetryOptions> retry)
{
    [Function(RenderWorkflow.Name)]
    public async Task<RenderOutcome> RunOrchestratorAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var logger = context.CreateReplaySafeLogger<RenderFunctions>();
        var input = context.GetInput<RenderInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} was started without a {nameof(RenderInput)}.");
        LogStarted(logger, input.CompositionId);
        RenderOutcome outcome;
        try
        {
            outcome = await RenderWorkflow.RunAsync(
                new DurableWorkflowContext(context, input.CompositionId, DurableWorkflowContext.StepOptions(retry.Value.MaxAttempts)), input);
        }
        catch (CompositionStoppedException stopped)
        {
            // A client cancelled or deleted it: an expected end, not a failure (and no MarkFailed).
            LogStopped(logger, input.CompositionId, stopped.Message);
            outcome = new RenderOutcome(input.CompositionId, CompositionStatus.Cancelled);
        }
        LogFinished(logger, input.CompositionId, outcome.Status);
        return outcome;
    }

    [Function(RenderSteps.MarkProcessing)]
    public Task<StepResult<StepAck>> MarkProcessingAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.MarkProcessing, input, ct => steps.MarkProcessingAsync(input, ct), cancellationToken);

    [Function(RenderSteps.ProbeInputs)]
    public Task<StepResult<ProbeSummary>> ProbeInputsAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.ProbeInputs, input, ct => steps.ProbeInputsAsync(input, ct), cancellationToken);

    [Function(RenderSteps.Plan)]
    public Task<StepResult<PlanSummary>> PlanAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.Plan, input, ct => steps.PlanAsync(input, ct), cancellationToken);

    [Function(RenderSteps.Render)]
    public Task<StepResult<RenderedOutput>> RenderAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.Render, input, ct => steps.RenderAsync(input, ct), cancellationToken);

    /// <summary>One segment of a segment-parallel render; the orchestrator fans these out with Task.WhenAll, so each
    /// runs on whichever instance picks it up and is retried alone.</summary>
    [Function(RenderSteps.RenderSegment)]
    public Task<StepResult<RenderedPart>> RenderSegmentAsync([ActivityTrigger] SegmentInput input, CancellationToken cancellationToken) =>
        runner.RunAsync($"{RenderSteps.RenderSegment}/{input.Index}", input.Render, ct => steps.RenderSegmentAsync(input, ct), cancellationToken);

    [Function(RenderSteps.RenderAudio)]
    public Task<StepResult<RenderedPart>> RenderAudioAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.RenderAudio, input, ct => steps.RenderAudioAsync(input, ct), cancellationToken);

    [Function(RenderSteps.Join)]
    public Task<StepResult<RenderedOutput>> JoinAsync([ActivityTrigger] JoinInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.Join, input.Render, ct => steps.JoinAsync(input, ct), cancellationToken);

    [Function(RenderSteps.Publish)]
    public Task<StepResult<PublishedOutput>> PublishAsync([ActivityTrigger] PublishInput input, CancellationToken cancellationToken) =>
        runner.RunAsync(RenderSteps.Publish, input.Render, ct => steps.PublishAsync(input, ct), cancellationToken);

    [Function(RenderSteps.MarkCompleted)]
    public async Task<StepResult<StepAck>> MarkCompletedAsync(
        [ActivityTrigger] CompleteInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(RenderSteps.MarkCompleted, input.Render, ct => steps.MarkCompletedAsync(input, ct), cancellationToken, watch: false);
        metrics.RenderFinished(result.Value?.Continue == true ? CompositionStatus.Completed : CompositionStatus.Cancelled);
        await dispatcher.TryDispatchAsync(durable, cancellationToken);
        return result;
    }

    [Function(RenderSteps.MarkFailed)]
    public async Task<StepResult<StepAck>> MarkFailedAsync(
        [ActivityTrigger] FailInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(RenderSteps.MarkFailed, input.Render, ct => steps.MarkFailedAsync(input, ct), cancellationToken, watch: false);
        metrics.RenderFinished(CompositionStatus.Failed);
        await dispatcher.TryDispatchAsync(durable, cancellationToken);
        return result;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Render of composition {CompositionId} started")]
    private static partial void LogStarted(ILogger logger, Guid compositionId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Render of composition {CompositionId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, Guid compositionId, string status);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Render of composition {CompositionId} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, Guid compositionId, string reason);
}
