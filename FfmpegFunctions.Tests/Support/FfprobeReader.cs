using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Tests.Support;

/// <summary>What tests check about a file, read from ffprobe's JSON.</summary>
public sealed record ProbedFile(
    double Duration,
    double? VideoDuration,
    int Width,
    int Height,
    double AverageFps,
    string? VideoCodec,
    string? AudioCodec,
    int AudioSampleRate,
    int AudioChannels,
    int Rotation,
    string FormatName)
{
    public bool HasVideo => VideoCodec is not null;
    public bool HasAudio => AudioCodec is not null;
}

/// <summary>Minimal ffprobe reader for tests; the production probe lives elsewhere.</summary>
public static class FfprobeReader
{
    public static ProbedFile Read(string path)
    {
        var psi = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path])
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffprobe failed on {path}: {stderr.Result}");

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        JsonElement? video = null, audio = null;
        foreach (var stream in root.GetProperty("streams").EnumerateArray())
        {
            var type = stream.GetProperty("codec_type").GetString();
            if (type == "video" && video is null) video = stream;
            if (type == "audio" && audio is null) audio = stream;
        }

        var format = root.GetProperty("format");
        return new ProbedFile(
            Duration: Double(format, "duration") ?? 0,
            VideoDuration: video is { } v1 ? Double(v1, "duration") : null,
            Width: video?.GetProperty("width").GetInt32() ?? 0,
            Height: video?.GetProperty("height").GetInt32() ?? 0,
            AverageFps: video is { } v2 ? Rational(v2.GetProperty("avg_frame_rate").GetString()) : 0,
            VideoCodec: video?.GetProperty("codec_name").GetString(),
            AudioCodec: audio?.GetProperty("codec_name").GetString(),
            AudioSampleRate: audio is { } a1 && Double(a1, "sample_rate") is { } sr ? (int)sr : 0,
            AudioChannels: audio?.GetProperty("channels").GetInt32() ?? 0,
            Rotation: video is { } v3 ? Rotation(v3) : 0,
            FormatName: format.GetProperty("format_name").GetString() ?? "");
    }

    /// <summary>The MediaInfo the planner gets in production, built the way the real probe would.</summary>
    public static LocalInput Input(string path)
    {
        var file = Read(path);
        var still = file.FormatName.Contains("image2", StringComparison.Ordinal) || file.FormatName.EndsWith("_pipe", StringComparison.Ordinal);
        var media = new MediaInfo(
            Duration: still ? null : file.Duration,
            HasVideo: file.HasVideo,
            HasAudio: file.HasAudio,
            Width: file.Width,
            Height: file.Height,
            FrameRate: file.AverageFps,
            IsStillImage: still,
            Rotation: file.Rotation,
            VideoCodec: file.VideoCodec,
            AudioCodec: file.AudioCodec);
        return new LocalInput(path, media);
    }

    private static double? Double(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.GetString() is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static double Rational(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var parts = text.Split('/');
        var num = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var den = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
        return den == 0 ? 0 : num / den;
    }

    private static int Rotation(JsonElement video)
    {
        if (!video.TryGetProperty("side_data_list", out var sideData)) return 0;
        foreach (var item in sideData.EnumerateArray())
            if (item.TryGetProperty("rotation", out var rotation)) return rotation.GetInt32();
        return 0;
    }
}
