namespace FfmpegFunctions.Core.Rendering;

/// <summary>ffmpeg exited with a non-zero code. Carries the tail of its stderr, which says why.</summary>
public sealed class FfmpegException : Exception
{
    public FfmpegException(int exitCode, string stderrTail)
        : base(Describe(exitCode, stderrTail))
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public int ExitCode { get; }

    /// <summary>The last lines ffmpeg wrote to stderr (bounded, see <see cref="StderrTail"/>).</summary>
    public string StderrTail { get; }

    private static string Describe(int exitCode, string stderrTail)
    {
        // The last non-empty line is almost always the actual reason ("Error initializing filter", "No such file").
        var reason = stderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return reason is null
            ? $"ffmpeg exited with code {exitCode} without an error message."
            : $"ffmpeg exited with code {exitCode}: {reason}";
    }
}
