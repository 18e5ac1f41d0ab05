using System.Diagnostics;
using System.Globalization;

namespace FfmpegFunctions.Tests.Support;

/// <summary>Runs ffmpeg with an argument list (no shell) and fails with its stderr.</summary>
public static class FfmpegCli
{
    /// <summary>Runs ffmpeg and returns its stderr (at <paramref name="logLevel"/>), failing on a non-zero exit.</summary>
    public static string Run(IReadOnlyList<string> arguments, string logLevel = "error", string binary = "ffmpeg")
    {
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-loglevel", logLevel]) psi.ArgumentList.Add(a);
        foreach (var a in arguments) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{binary} exited with {process.ExitCode}: {stderr}\nArguments: {string.Join(" | ", arguments)}");
        return stderr;
    }

    /// <summary>Runs ffmpeg (at -v error) and returns what it wrote to stdout: raw frames or samples for tests to measure.</summary>
    public static byte[] Output(IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-nostdin", "-v", "error", .. arguments]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {stderr.Result}\nArguments: {string.Join(" | ", arguments)}");
        return output.ToArray();
    }

    /// <summary>Mean audio level in dB over a window, from volumedetect; -91 dB is digital silence.</summary>
    public static double MeanVolume(string path, double start, double duration)
    {
        var stderr = Run(["-ss", Num(start), "-t", Num(duration), "-i", path, "-vn", "-af", "volumedetect", "-f", "null", "-"], logLevel: "info");
        var line = stderr.Split('\n').Last(l => l.Contains("mean_volume:", StringComparison.Ordinal));
        var value = line[(line.IndexOf("mean_volume:", StringComparison.Ordinal) + 12)..].Replace("dB", "", StringComparison.Ordinal).Trim();
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
