using System.Diagnostics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// Puts a preview's video inputs on their proxies (<see cref="PreviewProxy"/>): the stored proxy when there is one,
/// else one made now from the downloaded original and stored beside it (inputs/{id}/name.preview-360p15.mp4, so
/// retention removes it with the upload), for every later preview of the same input.
/// </summary>
public sealed partial class PreviewProxies(IObjectStore objects, IMediaProbe probe, IRenderExecutor executor, ILogger<PreviewProxies> logger)
{
    /// <param name="originalPath">The downloaded original.</param>
    /// <param name="proxyPath">Where the proxy goes on local disk.</param>
    /// <returns>The source on its proxy (key, and the original's media with the proxy's picture size and rate), or as it was.</returns>
    public async Task<ProbedSource> UseAsync(ProbedSource source, string originalPath, string proxyPath, CancellationToken cancellationToken)
    {
        if (!PreviewProxy.WorthIt(source.Media)) return source;
        var key = PreviewProxy.KeyFor(source.Key);
        if (!File.Exists(proxyPath))
        {
            if (await objects.GetInfoAsync(key, cancellationToken) is not null)
            {
                await objects.DownloadToFileAsync(key, proxyPath, cancellationToken);
            }
            else
            {
                var started = Stopwatch.GetTimestamp();
                Directory.CreateDirectory(Path.GetDirectoryName(proxyPath)!);
                await executor.RenderAsync(PreviewProxy.Plan(originalPath, source.Media, proxyPath), null, cancellationToken);
                await objects.UploadFileAsync(key, proxyPath, "video/mp4", cancellationToken);
                LogMade(logger, source.Key, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        var proxy = await probe.ProbeAsync(proxyPath, cancellationToken);
        // The original's duration stays: trims were checked against it, and the timeline is the final render's.
        return source with
        {
            Key = key,
            Media = source.Media with { Width = proxy.Width, Height = proxy.Height, FrameRate = proxy.FrameRate, Rotation = 0, VideoCodec = proxy.VideoCodec, AudioCodec = proxy.AudioCodec },
        };
    }

    [LoggerMessage(EventId = CoreEvents.PreviewProxyMade, Level = LogLevel.Information, Message = "Made the preview proxy of {Key} in {ElapsedSeconds} s")]
    private static partial void LogMade(ILogger logger, string key, double elapsedSeconds);
}
