namespace FfmpegFunctions.Core;

/// <summary>Every log event id of the core, in one place so none is used twice (1xxx database, 3xxx Redis, processes and object storage,
/// 4xxx workflow steps, 7xxx samples, 8xxx webhooks, 9xxx the HTTP edge). The hosts' own ids are in ServerEvents and
/// FunctionsEvents, in ranges of their own.</summary>
public static class CoreEvents
{
    // Database
    public const int MigrationApplied = 1001;
    public const int MigrationFailed = 1002;
    public const int SchemaCurrent = 1003;

    // Redis and rendering
    public const int EventNotPublished = 3001;
    public const int ChildProcessUnguarded = 3030;
    public const int RedisCircuitOpened = 3101;
    public const int RedisCircuitStillOpen = 3102;
    public const int RedisCircuitClosed = 3103;
    public const int RedisProbeFailed = 3104;

    // Object storage
    public const int BlobCopied = 3201;
    public const int BlobCopyNotAborted = 3202;

    // Workflow steps and their host
    public const int CompositionRendered = 4001;
    public const int CompositionFailed = 4002;
    public const int WorkFolderNotRemoved = 4003;
    public const int ProgressNotForwarded = 4004;
    public const int PartRendered = 4005;
    public const int PreviewProxyMade = 4006;
    public const int OrphanFolderRemoved = 4010;
    public const int OrphanFolderNotRemoved = 4011;
    public const int StepStopped = 4020;
    public const int StepFailedTransiently = 4021;
    public const int StopPollFailed = 4022;

    // Samples
    public const int SamplesGenerated = 7000;

    // Webhooks
    public const int WebhookDelivered = 8001;
    public const int WebhookAttemptFailed = 8002;

    // The HTTP edge
    public const int HttpRequest = 9001;
    public const int QueueDepthUnread = 9101;
    public const int InvalidApiKey = 9201;
    public const int RateLimitFailedOpen = 9301;
    public const int RetentionSwept = 9401;
    public const int RetentionSkipped = 9402;
    public const int UploadConfirmed = 9501;
    public const int UploadRejected = 9502;
}
