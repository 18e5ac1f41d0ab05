using FfmpegFunctions.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// The render workflow as Durable Functions: Core's <see cref="RenderWorkflow"/> is the orchestrator and
/// each <see cref="RenderSteps"/> method is an activity of the step's name. Activities run at least once;
/// the steps are idempotent (deterministic keys, status-guarded writes), which is what makes that safe.
/// </summary>
public sealed partial class RenderFunctions(RenderSteps steps, IOptions<WorkflowRetryOptions> retry)
{
    [Function(RenderWorkflow.Name)]
    public async Task<RenderOutcome> RunOrchestratorAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var logger = context.CreateReplaySafeLogger<RenderFunctions>();
        var input = context.GetInput<RenderInput>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} was started without a {nameof(RenderInput)}.");
        LogStarted(logger, input.CompositionId);
        var outcome = await RenderWorkflow.RunAsync(new DurableWorkflowContext(context, DurableWorkflowContext.StepOptions(retry.Value.MaxAttempts)), input);
        LogFinished(logger, input.CompositionId, outcome.Status);
        return outcome;
    }

    [Function(RenderSteps.MarkProcessing)]
    public Task<StepAck> MarkProcessingAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        steps.MarkProcessingAsync(input, cancellationToken);

    [Function(RenderSteps.ProbeInputs)]
    public Task<ProbedInputs> ProbeInputsAsync([ActivityTrigger] RenderInput input, CancellationToken cancellationToken) =>
        steps.ProbeInputsAsync(input, cancellationToken);

    [Function(RenderSteps.Plan)]
    public Task<PlanSummary> PlanAsync([ActivityTrigger] PlanInput input, CancellationToken cancellationToken) =>
        steps.PlanAsync(input, cancellationToken);

    [Function(RenderSteps.Render)]
    public Task<RenderedOutput> RenderAsync([ActivityTrigger] RenderStepInput input, CancellationToken cancellationToken) =>
        steps.RenderAsync(input, cancellationToken);

    [Function(RenderSteps.Publish)]
    public Task<PublishedOutput> PublishAsync([ActivityTrigger] PublishInput input, CancellationToken cancellationToken) =>
        steps.PublishAsync(input, cancellationToken);

    [Function(RenderSteps.MarkCompleted)]
    public Task<StepAck> MarkCompletedAsync([ActivityTrigger] CompleteInput input, CancellationToken cancellationToken) =>
        steps.MarkCompletedAsync(input, cancellationToken);

    [Function(RenderSteps.MarkFailed)]
    public Task<StepAck> MarkFailedAsync([ActivityTrigger] FailInput input, CancellationToken cancellationToken) =>
        steps.MarkFailedAsync(input, cancellationToken);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Render of composition {CompositionId} started")]
    private static partial void LogStarted(ILogger logger, Guid compositionId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Render of composition {CompositionId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, Guid compositionId, string status);
}
