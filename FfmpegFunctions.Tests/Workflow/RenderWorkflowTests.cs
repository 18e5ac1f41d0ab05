using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Tests.Workflow;

/// <summary>
/// Core's RenderWorkflow against a fake step caller: the orchestration logic both engines (Durable
/// Functions and the PostgreSQL engine) run, without a database, storage or ffmpeg.
/// </summary>
public sealed class RenderWorkflowTests
{
    private static readonly Guid CompositionId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly RenderInput Input = new(CompositionId, CompositionId.ToString("D"));

    private static readonly ProbedInputs Probed = new([
        new ProbedSource("inputs/a/clip.mp4", "inputs/a/clip.mp4", new MediaInfo(4, true, true, 1280, 720, 30, false)),
    ]);
    private static readonly OutputMetadata Metadata = new(4, 1234, 1280, 720, "mp4");
    private static readonly RenderedOutput Rendered = new("temp/job/final.mp4", "temp/job/thumbnail.jpg", Metadata);
    private static readonly PublishedOutput Published = new("outputs/x/output.mp4", "outputs/x/thumbnail.jpg", Metadata);

    [Fact]
    public async Task ASuccessfulRenderCallsTheStepsInOrderAndCompletes()
    {
        var context = new FakeWorkflowContext();

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(
            [RenderSteps.MarkProcessing, RenderSteps.ProbeInputs, RenderSteps.Plan, RenderSteps.Render, RenderSteps.Publish, RenderSteps.MarkCompleted],
            context.Calls.Select(c => c.Step));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Completed, OutputKey: Published.OutputKey), outcome);
    }

    [Fact]
    public async Task EachStepReceivesThePreviousResultsAsKeys()
    {
        var context = new FakeWorkflowContext();

        await RenderWorkflow.RunAsync(context, Input);

        Assert.Same(Input, context.InputOf(RenderSteps.MarkProcessing));
        Assert.Same(Input, context.InputOf(RenderSteps.ProbeInputs));
        Assert.Equal(new PlanInput(Input, Probed), context.InputOf(RenderSteps.Plan));
        Assert.Equal(new RenderStepInput(Input, Probed), context.InputOf(RenderSteps.Render));
        Assert.Equal(new PublishInput(Input, Rendered), context.InputOf(RenderSteps.Publish));
        Assert.Equal(new CompleteInput(Input, Published), context.InputOf(RenderSteps.MarkCompleted));
    }

    [Fact]
    public async Task AFailedRenderIsMarkedFailedWithItsStepAndReason()
    {
        var context = new FakeWorkflowContext
        {
            Fail = { [RenderSteps.Render] = new StepFailedException(RenderSteps.Render, "ffmpeg exited with code 1") },
        };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(
            [RenderSteps.MarkProcessing, RenderSteps.ProbeInputs, RenderSteps.Plan, RenderSteps.Render, RenderSteps.MarkFailed],
            context.Calls.Select(c => c.Step));
        Assert.Equal(new FailInput(Input, RenderSteps.Render, "ffmpeg exited with code 1"), context.InputOf(RenderSteps.MarkFailed));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Failed, "ffmpeg exited with code 1"), outcome);
    }

    [Fact]
    public async Task ACompositionCancelledBeforeItStartsStopsAtOnce()
    {
        var context = new FakeWorkflowContext { Acks = { [RenderSteps.MarkProcessing] = new StepAck(false) } };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal([RenderSteps.MarkProcessing], context.Calls.Select(c => c.Step));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Cancelled), outcome);
    }

    [Fact]
    public async Task ACompositionCancelledWhilePublishingEndsCancelled()
    {
        var context = new FakeWorkflowContext { Acks = { [RenderSteps.MarkCompleted] = new StepAck(false) } };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(RenderSteps.MarkCompleted, context.Calls[^1].Step);
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Cancelled), outcome);
    }

    /// <summary>Answers each step with a canned result, records the calls, fails the steps it is told to.</summary>
    private sealed class FakeWorkflowContext : IWorkflowContext
    {
        public List<(string Step, object Input)> Calls { get; } = [];
        public Dictionary<string, StepAck> Acks { get; } = [];
        public Dictionary<string, StepFailedException> Fail { get; } = [];

        public object InputOf(string step) => Calls.Single(c => c.Step == step).Input;

        public Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> workflowStep, TInput input) where TInput : notnull
        {
            var step = workflowStep.Name;
            Calls.Add((step, input));
            if (Fail.TryGetValue(step, out var failure)) return Task.FromException<TResult>(failure);
            object result = step switch
            {
                RenderSteps.MarkProcessing or RenderSteps.MarkCompleted or RenderSteps.MarkFailed => Acks.GetValueOrDefault(step, new StepAck(true)),
                RenderSteps.ProbeInputs => Probed,
                RenderSteps.Plan => new PlanSummary(4, 1280, 720, "mp4"),
                RenderSteps.Render => Rendered,
                RenderSteps.Publish => Published,
                _ => throw new InvalidOperationException($"Unexpected step {step}"),
            };
            return Task.FromResult((TResult)result);
        }
    }
}
