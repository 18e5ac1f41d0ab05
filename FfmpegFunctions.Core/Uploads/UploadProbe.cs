using System.Globalization;
using System.Text;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Uploads;

/// <summary>
/// Probes a stored upload where it is, through a short presigned GET: ffprobe reads the header over HTTP (ranges for
/// an MP4 whose index is at the end), so a 2 GB upload is checked without being downloaded by the API host.
/// </summary>
/// <remarks>
/// The bytes are the client's, so ffprobe opens nothing else: only HTTP(S) to our store, and only the demuxers of media
/// a render reads. Playlists (HLS, DASH, IMF) are not on the list: their entries would make ffprobe fetch URLs the
/// uploader chose.
/// </remarks>
public sealed class UploadProbe(
    IObjectStore objects, FfmpegLocator locator, ChildProcessLauncher launcher, IOptions<FfmpegOptions> options, IOptions<MediaLimits> limits,
    ILogger<UploadProbe> logger)
{
    /// <summary>Containers and raw streams of audio, video and stills (ffmpeg's demuxer names; a name matches its aliases).</summary>
    internal const string Demuxers = "mov,matroska,avi,mpegts,mpeg,flv,ogg,wav,w64,mp3,aac,flac,aiff,caf,asf,ivf,mxf,dv,amr,ac3,eac3,wv,ape,"
        + "m4v,h264,hevc,mpegvideo,gif,apng,image2,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,tiff_pipe";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <exception cref="InvalidMediaException">the object is not media ffprobe reads (its reason names the key, never the URL).</exception>
    public async Task<MediaInfo> ProbeAsync(string key, CancellationToken cancellationToken)
    {
        var url = objects.PresignGet(key, TimeSpan.FromMinutes(5)).AbsoluteUri;
        var cap = Math.Min(limits.Value.ProbePixelCap, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var json = new StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var process = await FfmpegProcess.StartAsync(launcher, locator.GetFfprobePath(),
            ["-v", "error", "-protocol_whitelist", "http,https,tcp,tls", "-format_whitelist", Demuxers, "-rw_timeout", "30000000",
             "-max_pixels", cap, "-print_format", "json", "-show_format", "-show_streams", url],
            workingDirectory: null, onOutputLine: line => json.AppendLine(line), keepInputOpen: false, timeout.Token);
        int exit;
        try
        {
            exit = await process.WaitForExitAsync(options.Value.KillTimeout, logger, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidMediaException(key, $"ffprobe could not read it within {Timeout.TotalSeconds:0} s.");
        }
        // ffprobe names its input: the client knows the key, and the URL's signature must not leave the service.
        var stderr = process.StderrTail.Replace(url, key, StringComparison.Ordinal).Trim();
        if (exit != 0) throw new InvalidMediaException(key, stderr.Length > 0 ? stderr : $"ffprobe exited with code {exit}.");
        var media = FfprobeMediaProbe.Parse(json.ToString(), key);
        return media.HasVideo && media.Width == 0 ? throw new InvalidMediaException(key, "its picture is larger than this service decodes.") : media;
    }
}
