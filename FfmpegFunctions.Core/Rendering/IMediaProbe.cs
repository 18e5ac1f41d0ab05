namespace FfmpegFunctions.Core.Rendering;

/// <summary>Reads what a local media file contains.</summary>
public interface IMediaProbe
{
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidMediaException">The file is not readable audio, video or image.</exception>
    Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken);
}
