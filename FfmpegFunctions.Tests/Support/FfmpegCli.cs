using System.Diagnostics;

namespace FfmpegFunctions.Tests.Support;

/// <summary>Runs ffmpeg with an argument list (no shell) and fails with its stderr.</summary>
public static class FfmpegCli
{
    public static void Run(IReadOnlyList<string> arguments, string binary = "ffmpeg")
    {
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-nostdin", "-loglevel", "error"]) psi.ArgumentList.Add(a);
        foreach (var a in arguments) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{binary} exited with {process.ExitCode}: {stderr}\nArguments: {string.Join(" | ", arguments)}");
    }
}
