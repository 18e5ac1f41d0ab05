using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// One ffmpeg or ffprobe child process: arguments passed as a list (never through a shell),
/// stdout delivered line by line (or left as a raw stream for frames), stderr kept as a bounded tail, and killed
/// with its whole tree on cancellation.
/// </summary>
internal sealed class FfmpegProcess : IDisposable
{
    // Longer lines are cut; ffmpeg at -loglevel error and -progress never write lines near this.
    private const int MaxLineLength = 8192;

    private readonly Process process;
    private readonly Task stdout;
    private readonly Task stderr;
    private readonly StderrTail tail = new();

    private FfmpegProcess(Process process, Action<string>? onOutputLine)
    {
        this.process = process;
        stdout = onOutputLine is null ? Task.CompletedTask : ReadLinesAsync(process.StandardOutput, onOutputLine);
        stderr = ReadLinesAsync(process.StandardError, tail.Add);
    }

    public int Id => process.Id;

    /// <summary>The raw stdout, for a process started without a line handler.</summary>
    public Stream StandardOutput => process.StandardOutput.BaseStream;

    /// <summary>The stdin, for a process started with <c>keepInputOpen</c>; closing it is the input's end.</summary>
    public Stream StandardInput => process.StandardInput.BaseStream;

    public string StderrTail => tail.ToString();

    /// <param name="launcher">Starts the process so that it dies with this one (see <see cref="ChildProcessLauncher"/>).</param>
    /// <param name="onOutputLine">Gets stdout line by line; null leaves stdout to <see cref="StandardOutput"/>.</param>
    /// <param name="keepInputOpen">Keep stdin open for <see cref="StandardInput"/> instead of closing it at once.</param>
    public static async Task<FfmpegProcess> StartAsync(
        ChildProcessLauncher launcher, string fileName, IEnumerable<string> arguments, string? workingDirectory, Action<string>? onOutputLine,
        bool keepInputOpen, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = await launcher.StartAsync(startInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {e.Message}", e);
        }
        // Neither tool should ever wait for input it is not fed; an immediate EOF makes sure of it.
        if (!keepInputOpen) process.StandardInput.Close();
        return new FfmpegProcess(process, onOutputLine);
    }

    /// <summary>Waits for exit and returns the exit code; on cancellation kills the tree, waits up to <paramref name="killTimeout"/>, and rethrows.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan killTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            // The readers end at EOF right after exit; waiting for them makes the stderr tail complete.
            await Task.WhenAll(stdout, stderr).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await KillAsync(killTimeout, logger).ConfigureAwait(false);
            throw;
        }
        return process.ExitCode;
    }

    /// <summary>Kills the tree without waiting (e.g. the consumer of a feed that failed).</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task KillAsync(TimeSpan timeout, ILogger logger)
    {
        var id = process.Id;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the cancellation and the kill.
        }

        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token).ConfigureAwait(false);
            RenderingLog.ProcessKilled(logger, id);
        }
        catch (OperationCanceledException)
        {
            RenderingLog.ProcessDidNotExit(logger, id, timeout);
        }
    }

    // Redirected streams are pipe streams with truly async reads (checked: 8 pending reads held no pool threads).
    private static async Task ReadLinesAsync(StreamReader reader, Action<string> onLine)
    {
        // Reads blocks rather than ReadLineAsync so one endless line cannot grow an unbounded string.
        var buffer = new char[4096];
        var line = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c is '\n' or '\r')
                {
                    if (line.Length > 0) onLine(line.ToString());
                    line.Clear();
                }
                else if (line.Length < MaxLineLength)
                {
                    line.Append(c);
                }
            }
        }
        if (line.Length > 0) onLine(line.ToString());
    }

    public void Dispose()
    {
        // Only reached early when our own code failed mid-run; never leave an orphan encoding.
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
