using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Starts ffmpeg and ffprobe so that they die with this process, however it ends: on Linux each child runs under
/// <c>setpriv --pdeathsig KILL</c> (util-linux, essential on Debian), which asks the kernel to kill it when its parent
/// goes. Without it a <c>kill -9</c> of the host left its ffmpegs re-parented to init, encoding for minutes.
/// </summary>
/// <remarks>
/// The kernel sends the parent-death signal when the *thread* that forked the child exits, not the process, and
/// thread-pool threads retire when idle: so every child is forked from one thread of ours that lives as long as this
/// launcher (a singleton). Disposing it ends that thread, and with it any child still running, which is what a host
/// that is gone wants. Where setpriv is missing (not Linux), children start directly and this guard is off.
/// </remarks>
public sealed partial class ChildProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> requests = [];
    private readonly Thread thread;

    public ChildProcessLauncher(ILogger<ChildProcessLauncher> logger)
    {
        Guard = OperatingSystem.IsLinux() ? FindOnPath("setpriv") : null;
        if (Guard is null) LogUnguarded(logger);
        thread = new Thread(Run) { IsBackground = true, Name = "child-process-launcher" };
        thread.Start();
    }

    /// <summary>The setpriv binary children run under; null when they start unguarded.</summary>
    public string? Guard { get; }

    /// <exception cref="Win32Exception">The program does not exist or cannot be run.</exception>
    public Task<Process> StartAsync(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        requests.Add((info, started), cancellationToken);
        return started.Task;
    }

    public void Dispose()
    {
        requests.CompleteAdding();
        thread.Join();
        requests.Dispose();
    }

    private void Run()
    {
        foreach (var (info, started) in requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(Guarded(info)) ?? throw new InvalidOperationException($"Could not start '{info.FileName}'."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }

    private ProcessStartInfo Guarded(ProcessStartInfo info)
    {
        if (Guard is null) return info;
        // setpriv reports a missing program only as its own exit code: fail as a direct start would.
        var program = Path.IsPathRooted(info.FileName) ? info.FileName : FindOnPath(info.FileName);
        if (program is null || !File.Exists(program)) throw new Win32Exception(2, $"No such file: '{info.FileName}'.");
        var guarded = new ProcessStartInfo(Guard)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = info.RedirectStandardInput,
            RedirectStandardOutput = info.RedirectStandardOutput,
            RedirectStandardError = info.RedirectStandardError,
            WorkingDirectory = info.WorkingDirectory,
        };
        foreach (var argument in (string[])["--pdeathsig", "KILL", "--", program]) guarded.ArgumentList.Add(argument);
        foreach (var argument in info.ArgumentList) guarded.ArgumentList.Add(argument);
        return guarded;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    [LoggerMessage(EventId = CoreEvents.ChildProcessUnguarded, Level = LogLevel.Warning, Message = "setpriv was not found: ffmpeg processes will not die with this process if it is killed")]
    private static partial void LogUnguarded(ILogger logger);
}
