using System.Diagnostics;
using System.Globalization;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Decoded facts about a rendered file that the container header alone does not prove.</summary>
internal static class StreamFacts
{
    /// <summary>Frames actually decoded from the first video stream.</summary>
    public static long VideoFrames(string path) =>
        long.Parse(Probe(["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path]).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Start time and duration of the first stream of <paramref name="type"/> ("v" or "a"), in seconds.</summary>
    public static (double Start, double Duration) Timing(string path, string type)
    {
        var values = Probe(["-select_streams", $"{type}:0", "-show_entries", "stream=start_time,duration", "-of", "csv=p=0", path]).Trim().Split(',');
        return (double.Parse(values[0], CultureInfo.InvariantCulture), double.Parse(values[1], CultureInfo.InvariantCulture));
    }

    /// <summary>MD5 of every decoded video frame, in order (ffmpeg's framemd5 without its header).</summary>
    public static IReadOnlyList<string> FrameHashes(string path)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"framemd5 failed on {path}: {stderr.Result}");
        return [.. output.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim())];
    }

    /// <summary>The mean colour of the frame at <paramref name="seconds"/>, scaled to one RGB pixel.</summary>
    public static (int R, int G, int B) AverageColor(string path, double seconds)
    {
        var bytes = FfmpegCli.Output(["-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1",
            "-vf", "scale=1:1:flags=area", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"]);
        if (bytes.Length < 3) throw new InvalidOperationException($"no frame at {seconds} s in {path}");
        return (bytes[0], bytes[1], bytes[2]);
    }

    /// <summary>ffprobe at -v error; its stdout.</summary>
    public static string Probe(IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", .. arguments]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffprobe failed: {stderr.Result}");
        return output;
    }
}
