namespace FfmpegFunctions.Server.Workflow;

internal static partial class WorkflowEngineLog
{
    [LoggerMessage(EventId = ServerEvents.WorkerStarted, Level = LogLevel.Information, Message = "Worker {Owner} started with {Slots} slots")]
    public static partial void Started(ILogger logger, string owner, int slots);

    [LoggerMessage(EventId = ServerEvents.JobClaimed, Level = LogLevel.Information, Message = "Claimed job {JobId} for composition {CompositionId} (attempt {Attempt})")]
    public static partial void Claimed(ILogger logger, Guid jobId, Guid compositionId, int attempt);

    [LoggerMessage(EventId = ServerEvents.JobFinished, Level = LogLevel.Information, Message = "Job {JobId} for composition {CompositionId} ended {Status}")]
    public static partial void Finished(ILogger logger, Guid jobId, Guid compositionId, string status);

    [LoggerMessage(EventId = ServerEvents.JobRetrying, Level = LogLevel.Warning, Message = "Job {JobId} will be retried in {DelaySeconds} s")]
    public static partial void Retrying(ILogger logger, Exception exception, Guid jobId, double delaySeconds);

    [LoggerMessage(EventId = ServerEvents.JobHandedBack, Level = LogLevel.Information, Message = "Job {JobId} handed back to the queue on shutdown")]
    public static partial void HandedBack(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = ServerEvents.LeaseLost, Level = LogLevel.Warning, Message = "Lost the lease on {Work}; stopping it here")]
    public static partial void LeaseLost(ILogger logger, string work);

    [LoggerMessage(EventId = ServerEvents.JobCancelled, Level = LogLevel.Information, Message = "Job {JobId} for composition {CompositionId} was cancelled")]
    public static partial void Cancelled(ILogger logger, Guid jobId, Guid compositionId);

    [LoggerMessage(EventId = ServerEvents.JobClaimFailed, Level = LogLevel.Error, Message = "Claiming jobs failed; retrying")]
    public static partial void ClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = ServerEvents.HeartbeatFailed, Level = LogLevel.Warning, Message = "Heartbeat for {Work} failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string work);

    [LoggerMessage(EventId = ServerEvents.EngineError, Level = LogLevel.Error, Message = "Job {JobId} hit an engine error; it goes back to the queue")]
    public static partial void EngineError(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = ServerEvents.BookkeepingFailed, Level = LogLevel.Error, Message = "Bookkeeping step '{What}' of job {JobId} failed; its lease will expire and the job be claimed again")]
    public static partial void BookkeepingFailed(ILogger logger, Exception exception, Guid jobId, string what);

    [LoggerMessage(EventId = ServerEvents.RunFailed, Level = LogLevel.Error, Message = "The run of {Work} failed")]
    public static partial void RunFailed(ILogger logger, Exception exception, string work);

    [LoggerMessage(EventId = ServerEvents.TaskStarted, Level = LogLevel.Information, Message = "Task {Task} of composition {CompositionId} claimed (attempt {Attempt})")]
    public static partial void TaskStarted(ILogger logger, string task, Guid compositionId, int attempt);

    [LoggerMessage(EventId = ServerEvents.TaskCompleted, Level = LogLevel.Information, Message = "Task {Task} of composition {CompositionId} completed")]
    public static partial void TaskCompleted(ILogger logger, string task, Guid compositionId);

    [LoggerMessage(EventId = ServerEvents.TaskStopped, Level = LogLevel.Information, Message = "Task {Task} of composition {CompositionId} stopped: its job no longer renders")]
    public static partial void TaskStopped(ILogger logger, string task, Guid compositionId);

    [LoggerMessage(EventId = ServerEvents.TaskClaimFailed, Level = LogLevel.Warning, Message = "Claiming a task failed")]
    public static partial void TaskClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = ServerEvents.LocalCopiesKept, Level = LogLevel.Warning, Message = "Could not check or remove the local input copies of job {JobId}; they stay on disk")]
    public static partial void LocalCopiesKept(ILogger logger, Exception exception, Guid jobId);
}
