namespace FfmpegFunctions.Core.Retention;

/// <param name="Ran">false when another instance held the sweep lock (nothing was done).</param>
/// <param name="OutputsExpired">Compositions whose outputs were deleted and which became 'expired'.</param>
/// <param name="InputsDeleted">Input objects deleted: past Storage:InputRetention, or never used past Storage:AbandonedUploadRetention.</param>
public sealed record RetentionSweepResult(bool Ran, int OutputsExpired, int InputsDeleted)
{
    public static RetentionSweepResult Skipped { get; } = new(false, 0, 0);
}
