namespace FfmpegFunctions.Core.Metrics;

/// <summary>What the render engine reports to metrics. A port, so the workflow does not depend on an exporter.</summary>
public interface IRenderMetrics
{
    /// <summary>How many jobs this instance can run at once (0: it runs none).</summary>
    void SetWorkerSlots(int slots);

    void JobStarted();

    /// <param name="outcome">completed, failed, cancelled, retried or handed_back.</param>
    void JobFinished(string outcome, TimeSpan duration);

    /// <summary>Time ffmpeg itself ran for one render.</summary>
    void FfmpegRendered(TimeSpan elapsed);

    /// <param name="step">The step's name (never a per-segment key: labels stay few).</param>
    /// <param name="outcome">completed, stopped, failed, claim_lost or interrupted.</param>
    void StepFinished(string step, string outcome, TimeSpan elapsed);
}

/// <summary>For hosts without a metrics endpoint (the Functions app exports through its own platform).</summary>
public sealed class NoRenderMetrics : IRenderMetrics
{
    public void SetWorkerSlots(int slots) { }
    public void JobStarted() { }
    public void JobFinished(string outcome, TimeSpan duration) { }
    public void FfmpegRendered(TimeSpan elapsed) { }
    public void StepFinished(string step, string outcome, TimeSpan elapsed) { }
}
