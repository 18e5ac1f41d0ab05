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

    private static readonly OutputMetadata Metadata = new(4, 1234, 1280, 720, "mp4");
    private static readonly RenderedOutput Rendered = new("temp/job/final.mp4", "temp/job/thumbnail.jpg", Metadata);
    private static readonly PublishedOutput Published = new("outputs/x/output.mp4", "outputs/x/thumbnail.jpg", Metadata);

    [Fact]
    public async Task ASuccessfulRenderCallsTheStepsInOrderAndCompletes()
    {
        var context = new FakeWorkflowContext();

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(
            [StepNames.MarkProcessing, StepNames.ProbeInputs, StepNames.Plan, StepNames.Render, StepNames.Publish, StepNames.MarkCompleted],
            context.Calls.Select(c => c.Step));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Completed, OutputKey: Published.OutputKey), outcome);
    }

    [Fact]
    public async Task EachStepReceivesThePreviousResultsAsKeys()
    {
        var context = new FakeWorkflowContext();

        await RenderWorkflow.RunAsync(context, Input);

        Assert.Same(Input, context.InputOf(StepNames.MarkProcessing));
        Assert.Same(Input, context.InputOf(StepNames.ProbeInputs));
        // The probed inputs and the plan's segments are stored once, not carried from step to step.
        Assert.Same(Input, context.InputOf(StepNames.Plan));
        Assert.Same(Input, context.InputOf(StepNames.Render));
        Assert.Equal(new PublishInput(Input, Rendered), context.InputOf(StepNames.Publish));
        Assert.Equal(new CompleteInput(Input, Published), context.InputOf(StepNames.MarkCompleted));
    }

    [Fact]
    public async Task AFailedRenderIsMarkedFailedWithItsStepAndReason()
    {
        var context = new FakeWorkflowContext
        {
            Fail = { [StepNames.Render] = new StepFailedException(StepNames.Render, "ffmpeg exited with code 1") },
        };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(
            [StepNames.MarkProcessing, StepNames.ProbeInputs, StepNames.Plan, StepNames.Render, StepNames.MarkFailed],
            context.Calls.Select(c => c.Step));
        Assert.Equal(new FailInput(Input, StepNames.Render, "ffmpeg exited with code 1"), context.InputOf(StepNames.MarkFailed));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Failed, "ffmpeg exited with code 1"), outcome);
    }

    [Fact]
    public async Task ASegmentedPlanFansOutTheSegmentsAndTheAudioThenJoinsThemInOrder()
    {
        var context = new FakeWorkflowContext { Segments = 3 };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        var steps = context.Calls.Select(c => c.Step).ToList();
        Assert.DoesNotContain(StepNames.Render, steps);
        Assert.Equal([StepNames.MarkProcessing, StepNames.ProbeInputs, StepNames.Plan], steps[..3]);
        // All four start before any result is awaited: they run at the same time.
        Assert.Equal([StepNames.RenderAudio, StepNames.RenderSegment, StepNames.RenderSegment, StepNames.RenderSegment], steps[3..7]);
        Assert.Equal([0, 1, 2], context.Calls.Where(c => c.Step == StepNames.RenderSegment).Select(c => ((SegmentInput)c.Input).Index));
        Assert.Equal(new JoinInput(Input, ["seg/0", "seg/1", "seg/2"], "audio"), context.InputOf(StepNames.Join), new JoinInputComparer());
        Assert.Equal([StepNames.Join, StepNames.Publish, StepNames.MarkCompleted], steps[7..]);
        Assert.Equal(CompositionStatus.Completed, outcome.Status);
    }

    [Fact]
    public async Task AFailedSegmentFailsTheRenderWithoutAJoin()
    {
        var context = new FakeWorkflowContext
        {
            Segments = 2,
            Fail = { [StepNames.RenderSegment] = new StepFailedException("RenderSegment/1", "ffmpeg exited with code 1") },
        };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.DoesNotContain(StepNames.Join, context.Calls.Select(c => c.Step));
        Assert.Equal(new FailInput(Input, "RenderSegment/1", "ffmpeg exited with code 1"), context.InputOf(StepNames.MarkFailed));
        Assert.Equal(CompositionStatus.Failed, outcome.Status);
    }

    [Fact]
    public async Task ACompositionCancelledBeforeItStartsStopsAtOnce()
    {
        var context = new FakeWorkflowContext { Acks = { [StepNames.MarkProcessing] = new StepAck(false) } };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal([StepNames.MarkProcessing], context.Calls.Select(c => c.Step));
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Cancelled), outcome);
    }

    [Fact]
    public async Task ACompositionCancelledWhilePublishingEndsCancelled()
    {
        var context = new FakeWorkflowContext { Acks = { [StepNames.MarkCompleted] = new StepAck(false) } };

        var outcome = await RenderWorkflow.RunAsync(context, Input);

        Assert.Equal(StepNames.MarkCompleted, context.Calls[^1].Step);
        Assert.Equal(new RenderOutcome(CompositionId, CompositionStatus.Cancelled), outcome);
    }

    private sealed class JoinInputComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => x is JoinInput a && y is JoinInput b
            && a.Render == b.Render && a.AudioKey == b.AudioKey && a.SegmentKeys.SequenceEqual(b.SegmentKeys);

        public int GetHashCode(object obj) => 0;
    }

    /// <summary>Answers each step with a canned result, records the calls, fails the steps it is told to.</summary>
    private sealed class FakeWorkflowContext : IWorkflowContext
    {
        public List<(string Step, object Input)> Calls { get; } = [];
        public Dictionary<string, StepAck> Acks { get; } = [];
        public Dictionary<string, StepFailedException> Fail { get; } = [];
        public int Segments { get; init; } = 1;

        public object InputOf(string step) => Calls.Single(c => c.Step == step).Input;

        public Task<TResult> CallStepAsync<TInput, TResult>(WorkflowStep<TInput, TResult> workflowStep, TInput input) where TInput : IStepInput
        {
            var step = workflowStep.Name;
            Calls.Add((step, input));
            if (Fail.TryGetValue(step, out var failure)) return Task.FromException<TResult>(failure);
            object result = step switch
            {
                StepNames.MarkProcessing or StepNames.MarkCompleted or StepNames.MarkFailed => Acks.GetValueOrDefault(step, new StepAck(true)),
                StepNames.ProbeInputs => new ProbeSummary(1),
                StepNames.Plan => new PlanSummary(4, 1280, 720, "mp4", Segments),
                StepNames.Render or StepNames.Join => Rendered,
                StepNames.RenderSegment => new RenderedPart($"seg/{((SegmentInput)(object)input).Index}", 1, 10),
                StepNames.RenderAudio => new RenderedPart("audio", 4, 10),
                StepNames.Publish => Published,
                _ => throw new InvalidOperationException($"Unexpected step {step}"),
            };
            return Task.FromResult((TResult)result);
        }
    }
}
