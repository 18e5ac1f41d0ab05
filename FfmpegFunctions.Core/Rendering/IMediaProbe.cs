namespace FfmpegFunctions.Core.Rendering;

/// <summary>Reads what a media file contains.</summary>
public interface IMediaProbe
{
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidMediaException">The file is not readable audio, video or image.</exception>
    Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken);

    /// <summary>Reads an object where it is stored, over HTTP(S) ranges, without copying it (for dry runs).</summary>
    /// <exception cref="InvalidMediaException">The object is not readable audio, video or image, or could not be read.</exception>
    Task<MediaInfo> ProbeRemoteAsync(Uri url, CancellationToken cancellationToken);
}
