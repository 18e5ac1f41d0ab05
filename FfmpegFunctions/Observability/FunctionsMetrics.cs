using System.Diagnostics;
using System.Diagnostics.Metrics;
using FfmpegFunctions.Core.Metrics;

namespace FfmpegFunctions.Functions.Observability;

/// <summary>
/// The Functions host's metrics as System.Diagnostics.Metrics instruments (meter "FfmpegFunctions.Functions"):
/// a Functions app has no /metrics endpoint to scrape, so they leave through OpenTelemetry (OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set) like the traces. Names follow the Server's Prometheus ones.
/// </summary>
public sealed class FunctionsMetrics : IRenderMetrics, IDisposable
{
    public const string MeterName = "FfmpegFunctions.Functions";

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Histogram<double> requestDuration;
    private readonly Histogram<double> stepDuration;
    private readonly Counter<long> rendersFinished;
    private readonly Histogram<double> ffmpegTime;

    public FunctionsMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("http_requests", description: "HTTP requests by function, method and status code.");
        requestDuration = meter.CreateHistogram<double>("http_request_duration", "s", "HTTP request latency by function, method and status code.");
        stepDuration = meter.CreateHistogram<double>("render_step_duration", "s", "Wall time of one render step (activity) by step and outcome.");
        rendersFinished = meter.CreateCounter<long>("render_jobs_finished", description: "Render orchestrations that ended, by outcome.");
        ffmpegTime = meter.CreateHistogram<double>("render_ffmpeg", "s", "Time ffmpeg ran for one render.");
    }

    public void RequestServed(string function, string method, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "function", function }, { "method", method }, { "code", status } };
        requests.Add(1, tags);
        requestDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void StepFinished(string step, string outcome, TimeSpan elapsed) =>
        stepDuration.Record(elapsed.TotalSeconds, new TagList { { "step", step }, { "outcome", outcome } });

    public void RenderFinished(string outcome) => rendersFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    // The Server's worker-slot and job-run metrics have no Functions counterpart: Durable runs the jobs.
    public void SetWorkerSlots(int slots) { }

    public void JobStarted() { }

    public void JobFinished(string outcome, TimeSpan duration) { }

    public void FfmpegRendered(TimeSpan elapsed) => ffmpegTime.Record(elapsed.TotalSeconds);

    public void Dispose() => meter.Dispose();
}
