using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FFMpegCore;
using FFMpegCore.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Probes local files with FFMpegCore's <see cref="FFProbe"/> (ffprobe's JSON of format and streams), then reads that
/// JSON with our own rules: cover art is not video, stills have no duration, rotation is clockwise quarter turns.
/// </summary>
/// <remarks>
/// FFMpegCore runs ffprobe with options passed per call (never <c>GlobalFFOptions</c>) and kills it when the token is
/// cancelled (measured: 7 ms). Its typed model is not used for the rules: it merges the display matrix and the legacy
/// rotate tag, whose signs differ, and cannot tell an absent duration from zero.
/// </remarks>
public sealed partial class FfprobeMediaProbe(FfmpegLocator locator, ChildProcessLauncher launcher, IOptions<FfmpegOptions> options, IOptions<MediaLimits> limits, ILogger<FfprobeMediaProbe> logger) : IMediaProbe
{
    // Demuxers that only ever hold one picture.
    private static readonly HashSet<string> ImageFormats = ["image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif_pipe", "jpegls_pipe", "qoi_pipe"];

    // Picture codecs that are a still when nothing gives them a duration (mjpeg in an AVI does have one).
    private static readonly HashSet<string> ImageCodecs = ["png", "mjpeg", "webp", "bmp", "tiff", "jpegls", "qoi"];

    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"No media file at '{fullPath}'.", fullPath);

        var ffprobe = locator.GetFfprobePath();
        // FFMpegCore runs "<BinaryFolder>/ffprobe": the locator's path (or its executable copy) must carry that name.
        if (!string.Equals(Path.GetFileNameWithoutExtension(ffprobe), "ffprobe", StringComparison.Ordinal))
            throw new InvalidOperationException($"Ffmpeg:FfprobePath must name a file called ffprobe; got '{ffprobe}'.");
        var ffOptions = new FFOptions { BinaryFolder = Path.GetDirectoryName(ffprobe)!, TemporaryFilesFolder = options.Value.TempDirectory };

        IMediaAnalysis analysis;
        try
        {
            // ffprobe decodes a frame of stills to learn their size: capped, a bomb is refused in milliseconds instead of
            // allocating its canvas (measured: 16000x16000 RGB took 4.4 s and 800 MB uncapped, 0.2 s and 54 MB capped).
            var cap = Math.Min(limits.Value.ProbePixelCap, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            analysis = await FFProbe.AnalyseAsync(fullPath, ffOptions, customArguments: "-max_pixels " + cap, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FFProbeProcessException e)
        {
            var stderr = string.Join('\n', e.StandardError);
            RenderingLog.ProbeRejected(logger, fullPath, e.ExitCode, stderr);
            throw new InvalidMediaException(fullPath, stderr.Length > 0 ? stderr : $"ffprobe exited with code {e.ExitCode}");
        }
        catch (FFMpegException e) when (!cancellationToken.IsCancellationRequested)
        {
            // FFMpegCore could not read ffprobe's answer (e.g. no format section): as unplayable as bad bytes.
            RenderingLog.ProbeRejected(logger, fullPath, 0, e.Message);
            throw new InvalidMediaException(fullPath, e.Message);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var media = Parse(analysis.Json, fullPath);
        if (media.HasVideo && media.Width == 0) media = await WithRefusedSizeAsync(media, ffprobe, fullPath, cancellationToken).ConfigureAwait(false);
        RenderingLog.Probed(logger, fullPath, media.Duration, media.Width, media.Height, media.HasAudio, media.IsStillImage);
        return media;
    }

    /// <summary>
    /// ffprobe leaves a picture over its cap at 0x0 and names the real size only in its refusal on stderr, which
    /// FFMpegCore does not hand back: ask once more with a cap of one pixel (nothing is decoded) and read the refusal.
    /// </summary>
    private async Task<MediaInfo> WithRefusedSizeAsync(MediaInfo media, string ffprobe, string path, CancellationToken cancellationToken)
    {
        using var process = await FfmpegProcess.StartAsync(launcher, ffprobe,
            ["-v", "error", "-max_pixels", "1", "-select_streams", "v:0", "-show_entries", "stream=width", "-of", "csv=p=0", path],
            workingDirectory: null, onOutputLine: _ => { }, keepInputOpen: false, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken).ConfigureAwait(false);
        return WithRefusedSize(media, process.StderrTail.Split('\n'));
    }

    internal static MediaInfo WithRefusedSize(MediaInfo media, IEnumerable<string> stderr)
    {
        foreach (var line in stderr)
        {
            var refused = RefusedPictureSize().Match(line);
            if (refused.Success
                && int.TryParse(refused.Groups["w"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                && int.TryParse(refused.Groups["h"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
                return media with { Width = width, Height = height };
        }
        return media;
    }

    [GeneratedRegex(@"Picture size (?<w>\d{1,9})x(?<h>\d{1,9}) exceeds specified max pixel count")]
    private static partial Regex RefusedPictureSize();

    /// <summary>Turns ffprobe's JSON into <see cref="MediaInfo"/>; throws <see cref="InvalidMediaException"/> when nothing is playable.</summary>
    internal static MediaInfo Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidMediaException(path, "ffprobe printed unreadable output: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            var format = root.TryGetProperty("format", out var f) ? f : default;
            JsonElement? video = null, audio = null;
            var streamCount = 0;
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var stream in streams.EnumerateArray())
                {
                    streamCount++;
                    var type = String(stream, "codec_type");
                    // Cover art in music files is a "video" stream that is not a picture track.
                    if (type == "video" && video is null && !IsAttachedPicture(stream)) video = stream;
                    else if (type == "audio" && audio is null) audio = stream;
                }
            }
            if (video is null && audio is null)
            {
                throw new InvalidMediaException(path, "ffprobe found no audio or video stream.");
            }

            var duration = Positive(Number(format, "duration")) ?? Positive(Number(video, "duration")) ?? Positive(Number(audio, "duration"));
            var formatNames = (String(format, "format_name") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var videoCodec = String(video, "codec_name");
            var isStill = video is not null && audio is null
                && (formatNames.Any(ImageFormats.Contains) || (duration is null && videoCodec is not null && ImageCodecs.Contains(videoCodec)));

            return new MediaInfo(
                Duration: isStill ? null : duration,
                HasVideo: video is not null,
                HasAudio: audio is not null,
                Width: (int)(Number(video, "width") ?? 0),
                Height: (int)(Number(video, "height") ?? 0),
                FrameRate: isStill ? 0 : FrameRate(video),
                IsStillImage: isStill,
                Rotation: Rotation(video),
                VideoCodec: videoCodec,
                AudioCodec: String(audio, "codec_name"),
                Streams: streamCount);
        }
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && Number(disposition, "attached_pic") == 1;

    private static double FrameRate(JsonElement? video)
    {
        var rate = Rational(String(video, "avg_frame_rate"));
        return rate > 0 ? rate : Rational(String(video, "r_frame_rate"));
    }

    private static double Rational(string? value)
    {
        if (value is null) return 0;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0 ? plain : 0;
        return double.TryParse(value.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(value.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            && num > 0 && den > 0
            ? num / den
            : 0;
    }

    /// <summary>
    /// Clockwise degrees (0, 90, 180, 270) to turn the coded picture upright; what transpose=clock is for 90.
    /// ffprobe's display matrix "rotation" is counter-clockwise, the legacy "rotate" tag clockwise.
    /// </summary>
    private static int Rotation(JsonElement? video)
    {
        if (video is not { } stream) return 0;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (Number(item, "rotation") is { } counterClockwise) return Normalize(-counterClockwise);
            }
        }
        return stream.TryGetProperty("tags", out var tags) && Number(tags, "rotate") is { } clockwise ? Normalize(clockwise) : 0;
    }

    private static int Normalize(double degrees)
    {
        var quarterTurns = (int)Math.Round(degrees / 90);
        return (quarterTurns % 4 + 4) % 4 * 90;
    }

    private static double? Positive(double? value) => value is > 0 and < double.PositiveInfinity ? value : null;

    private static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // ffprobe writes most numbers as strings ("duration": "2.000000") and some as numbers; FFMpegCore asks for
    // -sexagesimal, so durations come as "0:00:02.000000".
    private static double? Number(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e || !e.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.String when Sexagesimal(value.GetString()!) is { } seconds => seconds,
            _ => null,
        };
    }

    /// <summary>"H:MM:SS.ffffff" to seconds, or null.</summary>
    private static double? Sexagesimal(string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return null;
        return hours * 3600 + minutes * 60 + seconds;
    }
}
