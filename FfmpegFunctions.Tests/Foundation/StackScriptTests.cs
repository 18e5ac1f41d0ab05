using System.Diagnostics;
using System.Net.Sockets;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Foundation;

public sealed class StackScriptTests
{
    // A private stack beside the test stack, on its own ports.
    private static readonly Dictionary<string, string> Ports = new()
    {
        ["STACK_NAME"] = "scripttest", ["PG_PORT"] = "55499", ["REDIS_PORT"] = "56399", ["S3_PORT"] = "4599",
    };

    [Fact]
    public async Task UpIsIdempotentAndDownLeavesNoProcessOrPortBehind()
    {
        var services = new[] { "postgres", "redis", "s3" };
        List<int> pids = [];
        try
        {
            await StackScript.RunAsync(Ports, CancellationToken.None, ["up", .. services]);
            pids = ReadPids();
            Assert.True(Listening(55499) && Listening(56399) && Listening(4599));

            await StackScript.RunAsync(Ports, CancellationToken.None, ["up", .. services]);
            Assert.Equal(pids, ReadPids());
        }
        finally
        {
            await StackScript.RunAsync(Ports, CancellationToken.None, ["down", .. services]);
        }

        Assert.False(Listening(55499) || Listening(56399) || Listening(4599));
        Assert.Equal(3, pids.Count);
        Assert.DoesNotContain(pids, Alive);
    }

    private static string StackDir => Path.Combine(StackSettings.RepositoryRoot, ".stack", "scripttest");

    private static List<int> ReadPids()
    {
        var pids = new List<int>();
        foreach (var file in new[] { "redis.pid", "s3.pid", "postgres.pid" })
        {
            var path = Path.Combine(StackDir, file);
            if (File.Exists(path)) pids.Add(int.Parse(File.ReadLines(path).First().Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        return pids;
    }

    private static bool Alive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException) { return false; }
    }
}
