namespace FfmpegFunctions.Core;

/// <summary>Every log event id of the core, in one place so none is used twice (1xxx database, 3xxx rendering and Redis,
/// 4xxx workflow steps, 7xxx samples, 8xxx webhooks, 9xxx the HTTP edge).</summary>
public static class CoreEvents
{
    // Workflow steps and their host
    public const int CompositionRendered = 4001;
    public const int CompositionFailed = 4002;
    public const int WorkFolderNotRemoved = 4003;
    public const int ProgressNotForwarded = 4004;
    public const int PartRendered = 4005;
    public const int StepStopped = 4020;
    public const int StepFailedTransiently = 4021;
    public const int StopPollFailed = 4022;
}
