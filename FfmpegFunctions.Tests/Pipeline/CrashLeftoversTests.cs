using System.Diagnostics;
using System.Net;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>
/// What a killed engine leaves: its ffmpegs die with it (they used to be re-parented to init and encode on for
/// minutes), and the next start of any instance removes its work folder (71-79 MB of inputs, kept forever before
/// when the dead instance's id never came back).
/// </summary>
public sealed class CrashLeftoversTests
{
    [Fact]
    public async Task AKilledEnginesFfmpegDiesWithItAndTheNextStartRemovesItsFolder()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        using var engine = StartServerProcess(host, "victim");
        using var media = new TestMedia();
        try
        {
            // Long enough (30 s of 720p at preset slow, about a minute of encoding here) to outlive any check below.
            var id = await host.StartLongRenderAsync(api, client, media.Video("long.mp4", seconds: 30));
            var victimFolder = Path.Combine(host.WorkRoot, "instance-victim");
            Assert.NotEmpty(FailureTests.FfmpegProcessesUnder(victimFolder));

            engine.Kill(); // SIGKILL: no shutdown code of ours runs
            await engine.WaitForExitAsync();
            await Eventually.BecomesAsync(() => Task.FromResult(FailureTests.FfmpegProcessesUnder(host.WorkRoot)), pids => pids.Count == 0,
                TimeSpan.FromSeconds(5), "the killed engine's ffmpeg to die with it");
            Assert.True(Directory.Exists(victimFolder), "the kill left the folder (nothing of ours ran to remove it)");

            var successor = host.Start(engine: true, instanceId: "successor");
            Assert.False(Directory.Exists(victimFolder), "the next start removed the dead instance's folder");
            using var cancel = await successor.CreateClient().PostAsync($"/api/compositions/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        finally
        {
            if (!engine.HasExited) engine.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task AStartRemovesEveryFolderNoLiveInstanceOwnsAndKeepsTheLiveOnes()
    {
        await using var host = await PipelineHost.CreateAsync();
        var live = host.Start(engine: true, instanceId: "render-8");
        var liveFile = Path.Combine(host.WorkRoot, "instance-render-8", "0195a000-0000-7000-8000-00000000beef", "inputs", "clip.mp4");
        var deadFile = Path.Combine(host.WorkRoot, "instance-host-1234-0a1b2c3d", "0195a000-0000-7000-8000-00000000dead", "inputs", "clip.mp4");
        var ownFile = Path.Combine(host.WorkRoot, "instance-render-7", "0195a000-0000-7000-8000-00000000f00d", "inputs", "clip.mp4");
        foreach (var file in new[] { liveFile, deadFile, ownFile })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "partial download");
        }
        // A dead process's lock file: present, and free.
        await File.WriteAllTextAsync(Path.Combine(host.WorkRoot, "instance-host-1234-0a1b2c3d.lock"), "");

        host.Start(engine: true, instanceId: "render-7");

        Assert.False(File.Exists(ownFile)); // its own id's leftovers
        Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(deadFile))))); // a dead instance's
        Assert.False(File.Exists(Path.Combine(host.WorkRoot, "instance-host-1234-0a1b2c3d.lock")));
        Assert.True(File.Exists(liveFile)); // a live neighbour's work is its own
        Assert.Throws<InvalidOperationException>(() => host.Start(engine: true, instanceId: "render-8", extra: null)); // one process per id
        await host.StopAsync(live);
    }

    /// <summary>The Server as its own process (the built executable), rendering for the test's database and work root.</summary>
    private static Process StartServerProcess(PipelineHost host, string instanceId)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "FfmpegFunctions.Server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(Path.Combine(StackSettings.RepositoryRoot, "FfmpegFunctions.Server"));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Urls"] = $"http://127.0.0.1:{Ports.Free()}";
        info.Environment["ConnectionStrings__Postgres"] = host.Database.ConnectionString;
        info.Environment["Auth__BootstrapKey"] = TestKeys.Api;
        info.Environment["Workflow__InstanceId"] = instanceId;
        info.Environment["Workflow__PollInterval"] = "00:00:00.250";
        info.Environment["Workflow__HeartbeatInterval"] = "00:00:00.200";
        info.Environment["Workflow__LeaseDuration"] = "00:00:05";
        info.Environment["Render__WorkDirectory"] = host.WorkRoot;
        info.Environment["Storage__RetentionEnabled"] = "false";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
