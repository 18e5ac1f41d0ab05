namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// ffprobe could not read a file as audio, video or image. Retrying cannot help, so the workflow
/// fails such jobs at once; the message and <see cref="ProbeError"/> say what ffprobe saw.
/// </summary>
public sealed class InvalidMediaException : Exception
{
    public InvalidMediaException(string path, string probeError)
        : base($"'{Path.GetFileName(path)}' is not readable media: {FirstLine(probeError)}")
    {
        MediaPath = path;
        ProbeError = probeError;
    }

    public string MediaPath { get; }

    /// <summary>ffprobe's stderr, or our own reason when ffprobe succeeded but found nothing usable.</summary>
    public string ProbeError { get; }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no details";
}
