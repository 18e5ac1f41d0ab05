using FfmpegFunctions.Core;

namespace FfmpegFunctions.Functions;

/// <summary>Every log event id of the Functions app, in one place (7xxx orchestration, dispatch and SignalR Service);
/// Core's own are in CoreEvents.</summary>
public static class FunctionsEvents
{
    // Orchestration and dispatch
    public const int RenderStarted = 7001;
    public const int RenderFinished = 7002;
    public const int RenderStopped = 7003;
    public const int RenderDispatched = 7010;
    public const int DispatchKickFailed = 7011;
    public const int OrphanRestarted = 7012;
    public const int OrphanFailed = 7013;

    // SignalR Service
    public const int SignalRServiceRejected = 7101;
    public const int SignalRServiceSendFailed = 7102;

    // The HTTP edge
    /// <summary>The same event as the Server's request log: one id, so one query finds both hosts' requests.</summary>
    public const int HttpRequest = CoreEvents.HttpRequest;
}
