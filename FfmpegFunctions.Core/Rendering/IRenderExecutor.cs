namespace FfmpegFunctions.Core.Rendering;

/// <summary>Runs a <see cref="RenderPlan"/> with ffmpeg and takes its thumbnail.</summary>
public interface IRenderExecutor
{
    /// <param name="progress">
    /// Called from background threads, in order and never decreasing; keep it quick. A plain
    /// <see cref="Progress{T}"/> without a synchronization context may deliver reports out of order.
    /// </param>
    /// <exception cref="FfmpegException">ffmpeg failed; the message holds its reason.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; ffmpeg was killed and the partial output deleted.</exception>
    Task<RenderResult> RenderAsync(RenderPlan plan, IProgress<RenderProgress>? progress, CancellationToken cancellationToken);
}
