namespace FfmpegFunctions.Core.Workflow.Hosting;

public enum StepOutcomeKind
{
    /// <summary>The step finished; its result is recorded.</summary>
    Done,
    /// <summary>A client cancelled or deleted the composition; what the job left is removed.</summary>
    Stopped,
    /// <summary>Retrying cannot help (missing input, invalid media, an impossible spec).</summary>
    FailedPermanently,
    /// <summary>Storage, network, a killed ffmpeg: worth another attempt while the retry policy allows.</summary>
    FailedTransiently,
    /// <summary>The engine's claim moved on: nothing of this run counts, and it must write nothing more.</summary>
    ClaimLost,
}

/// <summary>How a step run ended, as the step host reports it to the engine (which alone decides what happens next:
/// a retry, a checkpoint, a stopped workflow).</summary>
public sealed record StepOutcome<T>(StepOutcomeKind Kind, T? Value = default, string? Reason = null, Exception? Error = null)
{
    public static StepOutcome<T> Done(T value) => new(StepOutcomeKind.Done, value);

    public static StepOutcome<T> Stopped(string status) => new(StepOutcomeKind.Stopped, Reason: status);

    public static StepOutcome<T> Failed(Exception error, bool permanent) =>
        new(permanent ? StepOutcomeKind.FailedPermanently : StepOutcomeKind.FailedTransiently, Reason: error.Message, Error: error);

    public static StepOutcome<T> ClaimLost() => new(StepOutcomeKind.ClaimLost);

    /// <summary>
    /// For a failure: when to try again (null: never), and the reason to record. Permanent failures are final; transient
    /// ones are retried by the policy until <paramref name="attempt"/> was its last.
    /// </summary>
    public (TimeSpan? RetryAfter, string Reason) Retry(RetryPolicy policy, int attempt, double jitter) =>
        Kind == StepOutcomeKind.FailedTransiently && policy.NextDelay(attempt, jitter) is { } delay
            ? (delay, Reason!)
            : (null, Kind == StepOutcomeKind.FailedTransiently ? $"{Reason} (gave up after {attempt} attempts)" : Reason!);

    public StepOutcome<TOther> Map<TOther>(Func<T, TOther> map) =>
        new(Kind, Kind == StepOutcomeKind.Done ? map(Value!) : default, Reason, Error);
}
