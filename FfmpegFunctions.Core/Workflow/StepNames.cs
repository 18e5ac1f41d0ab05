namespace FfmpegFunctions.Core.Workflow;

/// <summary>The render workflow's step names: Durable activities' and checkpoints' names, and what clients see as the current step.</summary>
public static class StepNames
{
    public const string MarkProcessing = "MarkProcessing";
    public const string ProbeInputs = "ProbeInputs";
    public const string Plan = "Plan";
    public const string Render = "Render";
    public const string RenderSegment = "RenderSegment";
    public const string RenderAudio = "RenderAudio";
    public const string Join = "Join";
    public const string Publish = "Publish";
    public const string MarkCompleted = "MarkCompleted";
    public const string MarkFailed = "MarkFailed";
}
