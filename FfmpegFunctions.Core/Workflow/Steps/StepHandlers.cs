namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>Every step of the render workflow, for <see cref="WorkflowStep{TInput, TResult}"/> to pick its own from:
/// compile-checked dispatch, no lookup by name.</summary>
public sealed record StepHandlers(
    MarkProcessingStep MarkProcessing,
    ProbeInputsStep ProbeInputs,
    PlanStep Plan,
    RenderStep Render,
    RenderSegmentStep RenderSegment,
    RenderAudioStep RenderAudio,
    JoinStep Join,
    PublishStep Publish,
    MarkCompletedStep MarkCompleted,
    MarkFailedStep MarkFailed);
