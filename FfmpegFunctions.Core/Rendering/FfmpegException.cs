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
        // At -loglevel error the first line is usually the cause ("No such filter") and the last the
        // consequence ("Error while processing the decoded data"); together they tell the story.
        var lines = stderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length switch
        {
            0 => $"ffmpeg exited with code {exitCode} without an error message.",
            1 => $"ffmpeg exited with code {exitCode}: {Shorten(lines[0])}",
            _ => $"ffmpeg exited with code {exitCode}: {Shorten(lines[0])} ... {Shorten(lines[^1])}",
        };
    }

    private static string Shorten(string line) => line.Length <= 300 ? line : line[..300] + "...";
}
