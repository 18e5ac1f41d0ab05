namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// How soon a cancel or delete must have killed ffmpeg in a test. The product's target is 3 s (the poll is 500 ms and
/// the kill is immediate); it is measured by the workflow benchmark's <c>stop</c> mode, because a test machine at a
/// load of 10+ per core has taken 3.9 s for the same stop. The tests' other assertions (the status is cancelled or
/// deleted, nothing was published) show that the stop, not the render's own end, ended ffmpeg.
/// </summary>
internal static class StopBound
{
    public static TimeSpan Loaded { get; } = TimeSpan.FromSeconds(10);
}
