namespace FfmpegFunctions.Server;

/// <summary>Every log event id of the Server, in one place (5xxx the workflow engine, 6xxx realtime, 8xxx-9xxx what it
/// hosts of Core's webhooks and retention); Core's own are in CoreEvents.</summary>
public static class ServerEvents
{
    // The workflow engine
    public const int WorkerStarted = 5001;
    public const int JobClaimed = 5002;
    public const int JobFinished = 5003;
    public const int JobRetrying = 5004;
    public const int JobHandedBack = 5005;
    public const int LeaseLost = 5006;
    public const int JobCancelled = 5007;
    public const int JobClaimFailed = 5008;
    public const int HeartbeatFailed = 5009;
    public const int EngineError = 5010;
    public const int BookkeepingFailed = 5011;
    public const int RunFailed = 5012;
    public const int TaskStarted = 5013;
    public const int TaskCompleted = 5014;
    public const int TaskStopped = 5015;
    public const int TaskClaimFailed = 5017;
    public const int LocalCopiesKept = 5018;
    public const int ListenFailed = 5101;

    // Realtime
    public const int HubSendFailed = 6001;

    // Webhooks and retention
    public const int WebhookClaimFailed = 8003;
    public const int RetentionSweepFailed = 9403;
}
