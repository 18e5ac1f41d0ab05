using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Bench;

/// <summary>
/// Upload and download of one 64 MiB file through each object store, built the way the hosts build it (AddObjectStorage
/// with Storage:Provider), against the local stack whose settings are in the environment (source .stack/NAME/env).
/// Providers alternate within each run so load on the shared machine hits both alike. CPU is this process's (the SDK)
/// and the emulator's (read from /proc for the pid in .stack/NAME/{s3,azurite}.pid).
/// </summary>
internal static class StorageBenchmark
{
    private const int Size = 64 * 1024 * 1024;
    private const string Container = "ffmpegfunctions-bench";

    public static async Task<int> RunAsync(BenchWorkspace workspace, int runs, CancellationToken cancellationToken)
    {
        var azurite = Environment.GetEnvironmentVariable("AzureWebJobsStorage")
            ?? throw new InvalidOperationException("source .stack/NAME/env first (AzureWebJobsStorage: Azurite's connection string)");
        await new BlobContainerClient(azurite, Container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var stackDir = Path.Combine(Directory.GetCurrentDirectory(), ".stack", Environment.GetEnvironmentVariable("STACK_NAME") ?? "dev");
        (string Name, Dictionary<string, string?> Settings, string PidFile)[] providers =
        [
            ("S3 (s3rver)", new() { ["Storage:Provider"] = "S3" }, Path.Combine(stackDir, "s3.pid")),
            ("AzureBlob (Azurite)", new()
            {
                ["Storage:Provider"] = "AzureBlob",
                ["Storage:AzureBlob:ConnectionString"] = azurite,
                ["Storage:AzureBlob:Container"] = Container,
            }, Path.Combine(stackDir, "azurite.pid")),
        ];
        var hosts = providers.Select(p => Build(p.Settings)).ToList();

        var source = workspace.PathFor("source.bin");
        var bytes = RandomNumberGenerator.GetBytes(Size);
        await File.WriteAllBytesAsync(source, bytes, cancellationToken);
        var expected = SHA256.HashData(bytes);
        var results = providers.Select(_ => new List<(double UpMBs, double DownMBs, double UpCpu, double DownCpu, double UpServerCpu, double DownServerCpu)>()).ToList();

        for (var run = 0; run < runs; run++)
        {
            for (var p = 0; p < providers.Length; p++)
            {
                var objects = hosts[p].Services.GetRequiredService<IObjectStore>();
                var key = $"temp/bench-{Guid.NewGuid():N}/source.bin";
                var pid = int.Parse(File.ReadAllText(providers[p].PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var up = await MeasureAsync(pid, () => objects.UploadFileAsync(key, source, "application/octet-stream", cancellationToken));
                var target = workspace.PathFor($"down-{p}.bin");
                var down = await MeasureAsync(pid, () => objects.DownloadToFileAsync(key, target, cancellationToken));
                if (!SHA256.HashData(await File.ReadAllBytesAsync(target, cancellationToken)).SequenceEqual(expected))
                    throw new InvalidOperationException($"{providers[p].Name}: the download differs from the upload");
                await objects.DeleteAsync(key, cancellationToken);
                File.Delete(target);
                results[p].Add((MBs(up.Wall), MBs(down.Wall), up.Cpu, down.Cpu, up.ServerCpu, down.ServerCpu));
                Console.WriteLine($"run {run + 1} {providers[p].Name}: up {MBs(up.Wall):0} MB/s ({up.Cpu:0.00} s CPU, server {up.ServerCpu:0.00} s), down {MBs(down.Wall):0} MB/s ({down.Cpu:0.00} s CPU, server {down.ServerCpu:0.00} s)");
            }
        }

        Console.WriteLine($"storage: 64 MiB file, N={runs} interleaved, {Environment.ProcessorCount} cores; MB/s = 10^6 bytes/s; medians");
        for (var p = 0; p < providers.Length; p++)
        {
            var r = results[p];
            Console.WriteLine($"  {providers[p].Name,-20} upload {BenchWorkspace.Median([.. r.Select(x => x.UpMBs)]):0} MB/s (client CPU {BenchWorkspace.Median([.. r.Select(x => x.UpCpu)]):0.00} s, emulator CPU {BenchWorkspace.Median([.. r.Select(x => x.UpServerCpu)]):0.00} s)"
                + $"  download {BenchWorkspace.Median([.. r.Select(x => x.DownMBs)]):0} MB/s (client CPU {BenchWorkspace.Median([.. r.Select(x => x.DownCpu)]):0.00} s, emulator CPU {BenchWorkspace.Median([.. r.Select(x => x.DownServerCpu)]):0.00} s)");
        }
        foreach (var host in hosts) host.Dispose();
        return 0;
    }

    // The hosts' own wiring: what is measured is what runs.
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddObjectStorage();
        return builder.Build();
    }

    private static double MBs(double seconds) => Size / seconds / 1e6;

    private static async Task<(double Wall, double Cpu, double ServerCpu)> MeasureAsync(int serverPid, Func<Task> operation)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var serverCpu = ProcessCpuSeconds(serverPid);
        var started = Stopwatch.GetTimestamp();
        await operation();
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds, ProcessCpuSeconds(serverPid) - serverCpu);
    }

    /// <summary>utime + stime of a process from /proc (clock ticks, 100 a second on Linux).</summary>
    private static double ProcessCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the command: state is [0], utime is field 14 of stat, i.e. [11] here; stime [12].
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }
}
