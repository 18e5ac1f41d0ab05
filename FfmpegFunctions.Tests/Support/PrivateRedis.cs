using System.Diagnostics;

namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// A Redis of its own (scripts/stack.sh with a separate STACK_NAME and port), so an outage test can stop,
/// freeze and restart a real server without touching the Redis other test classes share.
/// </summary>
public sealed class PrivateRedis : IAsyncLifetime
{
    private const string StackName = "redis-circuit";
    private const string Port = "56541";

    private static readonly Dictionary<string, string> Settings = new() { ["STACK_NAME"] = StackName, ["REDIS_PORT"] = Port };

    public string ConnectionString => $"127.0.0.1:{Port}";

    public Task StopAsync() => StackScript.RunAsync(Settings, CancellationToken.None, "down", "redis");

    /// <summary>Starts it again on the same port, empty (the stack runs Redis without persistence).</summary>
    public Task StartAsync() => StackScript.RunAsync(Settings, CancellationToken.None, "up", "redis");

    /// <summary>
    /// SIGSTOP: the server keeps its socket and the kernel keeps accepting bytes, but nothing answers, as with a
    /// hung server or a network that drops packets. Clients cannot tell this from slowness; only timeouts show it.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    public Task ThawAsync() => SignalAsync("-CONT");

    private static async Task SignalAsync(string signal)
    {
        var pidFile = Path.Combine(StackSettings.RepositoryRoot, ".stack", StackName, "redis.pid");
        var pid = (await File.ReadAllLinesAsync(pidFile))[0].Trim();
        using var kill = Process.Start("kill", [signal, pid]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill {signal} {pid} exited {kill.ExitCode}");
    }

    public Task InitializeAsync() => StartAsync();

    public Task DisposeAsync() => StopAsync();
}
