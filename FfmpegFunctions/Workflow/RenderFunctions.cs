using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Observability;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FfmpegFunctions.Functions.Dispatch;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// The render workflow as Durable Functions: Core's <see cref="RenderWorkflow"/> is the orchestrator and
/// each of <see cref="WorkflowSteps"/> is an activity of the step's name, run by <see cref="StepActivities"/> in
/// Core's step host (attempts, job_steps, the stop, cleanup). Activities run at least once; the steps are idempotent (deterministic
/// keys, status-guarded writes), which is what makes that safe. The two final steps free a render slot, so they
/// kick the dispatcher with their own Durable client.
/// </summary>
public sealed partial class RenderFunctions(
    StepActivities activities, RenderDispatcher dispatcher, FunctionsMetrics metrics, IOptions<WorkflowRetryOptions> retry)
{
    [Function(RenderWorkflow.Name)]
    public async Task<RenderOutcome> RunOrchestratorAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var logger = context.CreateReplaySafeLogger<RenderFunctions>();
        var request = context.GetInput<RenderRequest>() is { Render: not null } started
            ? started
            // Started by a build before the retry policy travelled in the input: that input is the render itself.
            : new RenderRequest(context.GetInput<RenderInput>()
                ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} was started without a {nameof(RenderRequest)}."), retry.Value.Policy);
        var input = request.Render;
        LogStarted(logger, input.CompositionId);
        RenderOutcome outcome;
        try
        {
            outcome = await RenderWorkflow.RunAsync(
                new DurableWorkflowContext(context, input.CompositionId, request.Retry), input);
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

    [Function(StepNames.MarkProcessing)]
    public Task<StepResult<StepAck>> MarkProcessingAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.MarkProcessing, input, cancellationToken);

    [Function(StepNames.ProbeInputs)]
    public Task<StepResult<ProbeSummary>> ProbeInputsAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.ProbeInputs, input, cancellationToken);

    [Function(StepNames.Plan)]
    public Task<StepResult<PlanSummary>> PlanAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.Plan, input, cancellationToken);

    [Function(StepNames.Render)]
    public Task<StepResult<RenderedOutput>> RenderAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.Render, input, cancellationToken);

    /// <summary>One segment of a segment-parallel render; the orchestrator fans these out with Task.WhenAll, so each
    /// runs on whichever instance picks it up and is retried alone.</summary>
    [Function(StepNames.RenderSegment)]
    public Task<StepResult<RenderedPart>> RenderSegmentAsync([ActivityTrigger] SegmentInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.RenderSegment, input, cancellationToken);

    [Function(StepNames.RenderAudio)]
    public Task<StepResult<RenderedPart>> RenderAudioAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.RenderAudio, input, cancellationToken);

    [Function(StepNames.Join)]
    public Task<StepResult<RenderedOutput>> JoinAsync([ActivityTrigger] JoinInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.Join, input, cancellationToken);

    [Function(StepNames.Publish)]
    public Task<StepResult<PublishedOutput>> PublishAsync([ActivityTrigger] PublishInput input, CancellationToken cancellationToken) =>
        activities.RunAsync(WorkflowSteps.Publish, input, cancellationToken);

    [Function(StepNames.MarkCompleted)]
    public async Task<StepResult<StepAck>> MarkCompletedAsync(
        [ActivityTrigger] CompleteInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var result = await activities.RunAsync(WorkflowSteps.MarkCompleted, input, cancellationToken);
        metrics.RenderFinished(result.Value?.Continue == true ? CompositionStatus.Completed : CompositionStatus.Cancelled);
        await dispatcher.TryDispatchAsync(durable, cancellationToken);
        return result;
    }

    [Function(StepNames.MarkFailed)]
    public async Task<StepResult<StepAck>> MarkFailedAsync(
        [ActivityTrigger] FailInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var result = await activities.RunAsync(WorkflowSteps.MarkFailed, input, cancellationToken);
        metrics.RenderFinished(CompositionStatus.Failed);
        await dispatcher.TryDispatchAsync(durable, cancellationToken);
        return result;
    }

    [LoggerMessage(EventId = FunctionsEvents.RenderStarted, Level = LogLevel.Information, Message = "Render of composition {CompositionId} started")]
    private static partial void LogStarted(ILogger logger, Guid compositionId);

    [LoggerMessage(EventId = FunctionsEvents.RenderFinished, Level = LogLevel.Information, Message = "Render of composition {CompositionId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, Guid compositionId, string status);

    [LoggerMessage(EventId = FunctionsEvents.RenderStopped, Level = LogLevel.Information, Message = "Render of composition {CompositionId} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, Guid compositionId, string reason);
}
