using FfmpegFunctions.Core.Compositions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Prometheus;

namespace FfmpegFunctions.Core.Metrics;

/// <summary>
/// Every metric of one host, in its own registry. prometheus-net rather than System.Diagnostics.Metrics
/// plus a home-made exporter: it already writes correct Prometheus text (escaping, histogram buckets,
/// _sum/_count) and supports scrape-time callbacks; a private registry (not prometheus-net's static
/// default one) keeps two hosts in one process, as in the tests, from sharing counters.
/// </summary>
public sealed partial class ServiceMetrics : IRenderMetrics
{
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] JobBuckets = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly string[] Outcomes = ["completed", "failed", "cancelled", "retried", "handed_back"];

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<ServiceMetrics> logger;
    private readonly Counter requests;
    private readonly Counter errors;
    private readonly Histogram latency;
    private readonly Gauge inFlight;
    private readonly Gauge queued;
    private readonly Gauge running;
    private readonly Gauge slots;
    private readonly Gauge utilisation;
    private readonly Histogram jobDuration;
    private readonly Histogram ffmpegTime;
    private readonly Histogram stepDuration;

    public ServiceMetrics(NpgsqlDataSource dataSource, ILogger<ServiceMetrics> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        requests = factory.CreateCounter("http_requests_total", "HTTP requests by route template, method and status code.", "route", "method", "code");
        errors = factory.CreateCounter("http_request_errors_total", "HTTP responses with a 4xx or 5xx status, by route template and class.", "route", "class");
        latency = factory.CreateHistogram("http_request_duration_seconds", "HTTP request latency by route template, method and status code.",
            new HistogramConfiguration { LabelNames = ["route", "method", "code"], Buckets = LatencyBuckets });
        inFlight = factory.CreateGauge("http_requests_in_flight", "Requests being served now (active connections doing work).");
        queued = factory.CreateGauge("render_jobs_queued", "Jobs waiting in the queue, by priority (read from PostgreSQL at scrape time).", "priority");
        running = factory.CreateGauge("render_jobs_running", "Jobs this instance is running now.");
        slots = factory.CreateGauge("render_worker_slots", "Jobs this instance can run at once.");
        utilisation = factory.CreateGauge("render_worker_utilisation_ratio", "Running jobs divided by worker slots (0 without slots).");
        jobDuration = factory.CreateHistogram("render_job_duration_seconds", "Wall time of one job run on this instance, by outcome.",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = JobBuckets });
        ffmpegTime = factory.CreateHistogram("render_ffmpeg_seconds", "Time ffmpeg ran for one render.",
            new HistogramConfiguration { Buckets = JobBuckets });
        stepDuration = factory.CreateHistogram("render_step_duration_seconds", "Wall time of one run of a workflow step, by step and outcome.",
            new HistogramConfiguration { LabelNames = ["step", "outcome"], Buckets = JobBuckets });
        // Every outcome exists at 0 from the start: a series born at its first observation has no rate in
        // Prometheus, so the first failed render would be invisible to rate()-based alerts.
        foreach (var outcome in Outcomes) jobDuration.WithLabels(outcome);
        Registry.AddBeforeCollectCallback(CollectAsync);
    }

    public CollectorRegistry Registry { get; }

    public void RequestInFlight(int delta) => inFlight.Inc(delta);

    public void RequestServed(string route, string method, int status, TimeSpan elapsed)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        requests.WithLabels(route, method, code).Inc();
        latency.WithLabels(route, method, code).Observe(elapsed.TotalSeconds);
        if (status >= 400) errors.WithLabels(route, status >= 500 ? "5xx" : "4xx").Inc();
    }

    public void SetWorkerSlots(int count) => slots.Set(count);

    public void JobStarted() => running.Inc();

    public void JobFinished(string outcome, TimeSpan duration)
    {
        running.Dec();
        jobDuration.WithLabels(outcome).Observe(duration.TotalSeconds);
    }

    public void FfmpegRendered(TimeSpan elapsed) => ffmpegTime.Observe(elapsed.TotalSeconds);

    public void StepFinished(string step, string outcome, TimeSpan elapsed) => stepDuration.WithLabels(step, outcome).Observe(elapsed.TotalSeconds);

    /// <summary>Scrape-time values: the queue depth is one indexed GROUP BY, cheap at a scrape every few seconds.</summary>
    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        utilisation.Set(slots.Value > 0 ? running.Value / slots.Value : 0);
        var counts = new Dictionary<string, long> { ["high"] = 0, ["default"] = 0, ["low"] = 0 };
        try
        {
            await using var command = dataSource.CreateCommand("SELECT priority, count(*) FROM jobs WHERE status = 'queued' GROUP BY 1");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) counts[PriorityCodes.ToName(reader.GetInt16(0))] = reader.GetInt64(1);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // A scrape must not fail because the database does: the other metrics still matter then.
            LogQueueDepthFailed(logger, ex);
            return;
        }
        foreach (var (priority, count) in counts) queued.WithLabels(priority).Set(count);
    }

    [LoggerMessage(EventId = CoreEvents.QueueDepthUnread, Level = LogLevel.Warning, Message = "Could not read the queue depth for /metrics")]
    private static partial void LogQueueDepthFailed(ILogger logger, Exception exception);
}
