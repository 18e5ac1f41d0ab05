using System.Diagnostics;
using System.Net;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Pipeline;

[Collection(nameof(PipelineCollection))]
public sealed class FailureTests(PipelineMedia media)
{
    [Fact]
    public async Task AMissingInputFailsTheCompositionNamingTheKey()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: true).CreateClient();
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4";

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(missing));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Contains(missing, view.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("/clips/0/source", view.GetProperty("error").GetProperty("pointer").GetString());
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ACorruptInputFailsOnceWithTheProbesReason()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Corrupt);

        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key));
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        var error = view.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains(key, error);
        Assert.True(error.Contains("Invalid data", StringComparison.OrdinalIgnoreCase), error);
        Assert.DoesNotContain(host.WorkRoot, error); // local paths stay private
        Assert.Equal(1, view.GetProperty("attempts").GetInt32()); // no retry storm
        // MarkFailed marks the composition, then removes the job's folder: the status can be seen in between.
        await Eventually.BecomesAsync(() => Task.FromResult(host.LocalFiles()),
            files => files.Count == 0, TimeSpan.FromSeconds(10), "the failed job's work folder to be removed");
    }

    [Fact]
    public async Task CancellingARunningRenderKillsFfmpegAndLeavesNothingBehind()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var id = await host.StartLongRenderAsync(instance, client, media.Long);
        Assert.NotEmpty(FfmpegProcessesUnder(host.WorkRoot));

        var stopwatch = Stopwatch.StartNew();
        using var cancel = await client.PostAsync($"/api/compositions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Eventually.BecomesAsync(() => Task.FromResult(FfmpegProcessesUnder(host.WorkRoot).Count), n => n == 0, StopBound.Loaded, "ffmpeg to stop");
        var stoppedAfter = stopwatch.Elapsed;
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'cancelled'"),
            n => n == 1, TimeSpan.FromSeconds(10), "the job to be cancelled");

        Assert.True(stoppedAfter < StopBound.Loaded, $"ffmpeg stopped after {stoppedAfter}");
        Assert.Equal("cancelled", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
        Assert.Empty(host.LocalFiles());
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        Assert.Empty(await objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
        Assert.Empty(await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        using var again = await client.PostAsync($"/api/compositions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode); // idempotent
    }

    [Fact]
    public async Task DeletingACompletedCompositionRemovesItsOutputs()
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(key, width: 160, height: 90));
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "completed");
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        Assert.Equal(2, (await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None)).Count);

        using var cancelFinished = await client.PostAsync($"/api/compositions/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancelFinished.StatusCode);

        using var deleted = await client.DeleteAsync($"/api/compositions/{id}");
        using var download = await client.GetAsync($"/api/compositions/{id}/download");
        using var deletedAgain = await client.DeleteAsync($"/api/compositions/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.Equal("deleted", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    /// <summary>ffmpeg processes whose command line points into this test's work folder.</summary>
    internal static List<int> FfmpegProcessesUnder(string workRoot)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.StartsWith("ffmpeg", StringComparison.Ordinal) || cmdline.Contains("/ffmpeg\0", StringComparison.Ordinal))
                {
                    if (cmdline.Contains(workRoot, StringComparison.Ordinal)) found.Add(pid);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
