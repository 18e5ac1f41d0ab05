using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>Source-generated log messages for probing and rendering (event ids 3000-3099).</summary>
internal static partial class RenderingLog
{
    [LoggerMessage(3000, LogLevel.Information, "Resolved {Setting} '{Configured}' to {Path}")]
    public static partial void BinaryResolved(ILogger logger, string setting, string configured, string path);

    [LoggerMessage(3001, LogLevel.Warning, "{Source} is not executable; running an executable copy at {Copy}")]
    public static partial void BinaryCopiedExecutable(ILogger logger, string source, string copy);

    [LoggerMessage(3010, LogLevel.Debug, "Probed {Path}: duration {Duration}s, {Width}x{Height}, audio {HasAudio}, still {IsStill}")]
    public static partial void Probed(ILogger logger, string path, double? duration, int width, int height, bool hasAudio, bool isStill);

    [LoggerMessage(3011, LogLevel.Warning, "ffprobe rejected {Path} with exit code {ExitCode}: {Stderr}")]
    public static partial void ProbeRejected(ILogger logger, string path, int exitCode, string stderr);

    [LoggerMessage(3020, LogLevel.Information, "Rendering {OutputPath} ({Duration}s planned) in {WorkDirectory}")]
    public static partial void RenderStarting(ILogger logger, string outputPath, double duration, string workDirectory);

    [LoggerMessage(3021, LogLevel.Debug, "ffmpeg started as process {ProcessId} with {ArgumentCount} arguments")]
    public static partial void ProcessStarted(ILogger logger, int processId, int argumentCount);

    [LoggerMessage(3022, LogLevel.Information, "Rendered {OutputPath}: {Duration}s, {SizeBytes} bytes in {ElapsedSeconds}s")]
    public static partial void RenderFinished(ILogger logger, string outputPath, double duration, long sizeBytes, double elapsedSeconds);

    [LoggerMessage(3023, LogLevel.Warning, "ffmpeg exited with code {ExitCode}: {Stderr}")]
    public static partial void FfmpegFailed(ILogger logger, int exitCode, string stderr);

    [LoggerMessage(3024, LogLevel.Information, "Render of {OutputPath} cancelled after {ElapsedSeconds}s")]
    public static partial void RenderCancelled(ILogger logger, string outputPath, double elapsedSeconds);

    [LoggerMessage(3025, LogLevel.Debug, "Killed process {ProcessId}")]
    public static partial void ProcessKilled(ILogger logger, int processId);

    [LoggerMessage(3026, LogLevel.Error, "Process {ProcessId} did not exit within {Timeout} of being killed")]
    public static partial void ProcessDidNotExit(ILogger logger, int processId, TimeSpan timeout);

    [LoggerMessage(3027, LogLevel.Debug, "No thumbnail frame at {Time}s; taking the first frame")]
    public static partial void ThumbnailFallback(ILogger logger, double time);

    [LoggerMessage(3029, LogLevel.Debug, "Render pass {Pass} starting, fed by {FeedCount} processes")]
    public static partial void PassStarting(ILogger logger, string pass, int feedCount);

    [LoggerMessage(3028, LogLevel.Warning, "Could not delete {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);
}
