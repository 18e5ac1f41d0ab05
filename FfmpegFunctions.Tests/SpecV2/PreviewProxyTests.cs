using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.SpecV2;

/// <summary>output.preview renders from low-resolution proxies of its video inputs, made once per input and stored beside it.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class PreviewProxyTests
{
    [Fact]
    public void OnlyVideoLargerOrFasterThanADraftGetsAProxyAndItsPlanIsAnArgumentList()
    {
        var hd = new MediaInfo(4, true, true, 1280, 720, 30, false);
        Assert.True(PreviewProxy.WorthIt(hd));
        Assert.True(PreviewProxy.WorthIt(hd with { Width = 320, Height = 180, FrameRate = 60 }));
        Assert.False(PreviewProxy.WorthIt(hd with { Width = 640, Height = 360, FrameRate = 15 }));
        Assert.False(PreviewProxy.WorthIt(hd with { IsStillImage = true, Duration = null }));
        Assert.False(PreviewProxy.WorthIt(new MediaInfo(4, false, true, 0, 0, 0, false)));
        Assert.Equal("inputs/x/clip.mp4.preview-360p15.mp4", PreviewProxy.KeyFor("inputs/x/clip.mp4"));

        var args = PreviewProxy.Plan("/work/in put.mp4", hd, "/work/proxy.mp4").Arguments.ToList();
        Assert.Equal("/work/in put.mp4", args[args.IndexOf("-i") + 1]); // one argument, spaces and all: no shell
        Assert.Equal("fps=15,scale=w=-2:h='min(360,ih)'", args[args.IndexOf("-vf") + 1]);
        // A phone's portrait video (stored landscape, rotated 90) is limited on its displayed short side: the width.
        var portrait = PreviewProxy.Plan("/in.mp4", hd with { Width = 1920, Height = 1080, Rotation = 90 }, "/p.mp4").Arguments.ToList();
        Assert.Equal("fps=15,scale=w='min(360,iw)':h=-2", portrait[portrait.IndexOf("-vf") + 1]);
    }

    [Fact]
    public async Task AFirstPreviewMakesTheProxyAndLaterOnesRenderFromItAsTheFinalLaidOut()
    {
        using var media = new TestMedia();
        var source = media.Video("hd.mp4", seconds: 2, width: 1280, height: 720, fps: 30);
        await using var host = await PipelineHost.CreateAsync();
        var uploads = new List<string>();
        var instance = host.Start(engine: true, services: FaultyObjectStore.Install(s => s.Before = (op, key, _) =>
        {
            if (op == nameof(IObjectStore.UploadFileAsync)) lock (uploads) uploads.Add(key);
            return Task.CompletedTask;
        }));
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, source);
        object Preview(bool preview) => new
        {
            output = new { width = 1280, height = 720, fps = 30, preview },
            clips = new object[] { new { source = key } },
        };

        var first = await PipelineHost.CreateAsync(client, Preview(true));
        Assert.Equal("completed", (await PipelineHost.WaitForStatusAsync(client, first, TimeSpan.FromSeconds(60), "completed", "failed")).GetProperty("status").GetString());
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        var proxy = await objects.GetInfoAsync(PreviewProxy.KeyFor(key), CancellationToken.None);
        Assert.NotNull(proxy);
        var second = await PipelineHost.CreateAsync(client, Preview(true));
        Assert.Equal("completed", (await PipelineHost.WaitForStatusAsync(client, second, TimeSpan.FromSeconds(60), "completed", "failed")).GetProperty("status").GetString());
        var final = await PipelineHost.CreateAsync(client, Preview(false));
        Assert.Equal("completed", (await PipelineHost.WaitForStatusAsync(client, final, TimeSpan.FromSeconds(60), "completed", "failed")).GetProperty("status").GetString());

        Assert.Single(uploads, k => k == PreviewProxy.KeyFor(key)); // made once, by the first preview only
        var proxyFile = Path.Combine(host.WorkRoot, "proxy.mp4");
        await objects.DownloadToFileAsync(PreviewProxy.KeyFor(key), proxyFile, CancellationToken.None);
        var probedProxy = FfprobeReader.Read(proxyFile);
        Assert.Equal((640, 360, 15.0), (probedProxy.Width, probedProxy.Height, probedProxy.AverageFps));
        Assert.True(probedProxy.HasAudio);
        var frames = new Dictionary<Guid, FramePixels>();
        foreach (var (id, width, height, fps) in new[] { (second, 640, 360, 15.0), (final, 1280, 720, 30.0) })
        {
            var output = Path.Combine(host.WorkRoot, $"{id:N}.mp4");
            await objects.DownloadToFileAsync(StorageKeys.Output(id, OutputFormat.Mp4), output, CancellationToken.None);
            var probed = FfprobeReader.Read(output);
            Assert.Equal((width, fps), (probed.Width, probed.AverageFps));
            Assert.InRange(probed.Duration, 1.9, 2.1); // the proxy keeps the source's length
            frames[id] = FramePixels.At(output, 1.0, width, height);
        }
        // The draft shows the final's picture at the same moment, at half the size.
        var points = (from x in Enumerable.Range(1, 15) from y in Enumerable.Range(1, 8) select (X: x * 40, Y: y * 40)).ToList();
        var alike = points.Count(p => FramePixels.Near(frames[second][p.X, p.Y], frames[final][p.X * 2, p.Y * 2], 60));
        Assert.True(alike >= points.Count * 9 / 10, $"{alike} of {points.Count} sampled pixels alike");
    }
}
