using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Observability;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// The render workflow's steps (Durable activities in the Functions app). Each is idempotent: keys are
/// deterministic, writes are upserts or status-guarded, so running a step twice is harmless.
/// </summary>
public sealed partial class RenderSteps(
    CompositionStore store,
    RenderPlanStore plans,
    IObjectStore objects,
    IMediaProbe probe,
    RenderPlanner planner,
    IRenderExecutor executor,
    PreviewProxies proxies,
    ICompositionEventSink events,
    WebhookOutbox webhooks,
    IOptions<RenderStepsOptions> options,
    IOptions<MediaLimits> limits,
    TimeProvider clock,
    IRenderMetrics metrics,
    ILogger<RenderSteps> logger)
{
    public const string MarkProcessing = "MarkProcessing";
    public const string ProbeInputs = "ProbeInputs";
    public const string Plan = "Plan";
    public const string Render = "Render";
    public const string RenderSegment = "RenderSegment";
    public const string RenderAudio = "RenderAudio";
    public const string Join = "Join";
    public const string Publish = "Publish";
    public const string MarkCompleted = "MarkCompleted";
    public const string MarkFailed = "MarkFailed";

    // Shares of the progress bar in a segment-parallel render: the segments by their frames, then the audio and the join.
    private const double SegmentsWeight = 0.85;
    private const double AudioWeight = 0.10;
    private const double JoinWeight = 0.05;

    public async Task<StepAck> MarkProcessingAsync(RenderInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        if (!await store.MarkProcessingAsync(input.CompositionId, MarkProcessing, cancellationToken, fence))
        {
            await EnsureClaimAsync(input, fence, cancellationToken);
            return new StepAck(false);
        }
        await events.PublishAsync(new StatusEvent(input.CompositionId, CompositionStatus.Processing, clock.GetUtcNow(), MarkProcessing), cancellationToken);
        return new StepAck(true);
    }

    /// <summary>Downloads every distinct input into the job's folder and probes it.</summary>
    public async Task<ProbeSummary> ProbeInputsAsync(RenderInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var work = await LoadAsync(input, ProbeInputs, cancellationToken, fence);
        var members = SourcesOf(work.Spec);
        var sources = members.Select(m => m.Source).ToList();
        var probed = new ProbedSource[sources.Count];
        var keys = new string[sources.Count];
        for (var i = 0; i < sources.Count; i++) keys[i] = await ResolveKeyAsync(work.Tenant, sources[i], cancellationToken);
        await CheckInputSizesAsync(keys, cancellationToken);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, sources.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.DownloadConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var key = keys[i];
                var path = await EnsureLocalAsync(input.JobId, key, ct);
                if (work.Spec.Captions?.Source == sources[i])
                {
                    probed[i] = new ProbedSource(sources[i], key, await CaptionsProbe.CheckAsync(path, key, ct));
                    return;
                }
                MediaInfo media;
                try
                {
                    media = await probe.ProbeAsync(path, ct);
                }
                catch (InvalidMediaException ex)
                {
                    // ffprobe names our local copy; the client knows the key.
                    var reason = ex.ProbeError.Replace(ex.MediaPath, key, StringComparison.Ordinal).Trim();
                    throw new PermanentStepException($"{members[i].Pointer}: The input '{key}' is not readable media: {reason}", ex);
                }
                // Before anything decodes it: what an input decodes to is the cost, not its bytes.
                if (limits.Value.Violation(media) is { } violation)
                    throw new PermanentStepException($"{members[i].Pointer}: The input '{key}' {violation}.");
                probed[i] = new ProbedSource(sources[i], key, media);
            });
        await EnsureClaimAsync(input, fence, cancellationToken);
        await plans.SaveProbedAsync(input, new ProbedInputs(probed), cancellationToken);
        return new ProbeSummary(probed.Length);
    }

    /// <summary>Sizes come from the objects' metadata, so an input over the limit fails before any byte of it is downloaded.</summary>
    private async Task CheckInputSizesAsync(string[] keys, CancellationToken cancellationToken)
    {
        if (keys.Length > options.Value.MaxInputs)
            throw new PermanentStepException($"The composition reads {keys.Length} inputs, more than the {options.Value.MaxInputs} allowed.");
        long total = 0;
        foreach (var key in keys)
        {
            var info = await objects.GetInfoAsync(key, cancellationToken)
                ?? throw new PermanentStepException($"The input object '{key}' does not exist in storage.");
            if (info.Size > options.Value.MaxInputBytes)
                throw new PermanentStepException($"The input '{key}' is {info.Size} bytes, more than the {options.Value.MaxInputBytes} allowed per input.");
            total += info.Size;
        }
        if (total > options.Value.MaxTotalInputBytes)
            throw new PermanentStepException($"The inputs add up to {total} bytes, more than the {options.Value.MaxTotalInputBytes} allowed per composition.");
    }

    /// <summary>Plans against the probed media, so impossible specs fail here, before any encoding; decides the segments
    /// once (stored for the steps that render them).</summary>
    public async Task<PlanSummary> PlanAsync(RenderInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var work = await LoadAsync(input, Plan, cancellationToken, fence);
        var probed = await plans.GetProbedAsync(input, cancellationToken);
        var plan = PlanFor(work, probed, Path.Combine(JobDirectory(input.JobId), "out", "plan-check"));
        var windows = planner.Windows(work.Spec, Inputs(work, probed), options.Value.SegmentSeconds);
        await EnsureClaimAsync(input, fence, cancellationToken);
        await plans.SaveWindowsAsync(input, windows, cancellationToken);
        return new PlanSummary(plan.Duration, plan.Output.Width, plan.Output.Height, StorageKeys.Extension(plan.Output.Format), windows.Count);
    }

    /// <summary>Renders, then parks output and thumbnail under temp/{jobId}/ (local disk does not outlive a step).</summary>
    public async Task<RenderedOutput> RenderAsync(RenderInput render, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var work = await LoadAsync(render, Render, cancellationToken, fence);
        var probed = await plans.GetProbedAsync(render, cancellationToken);
        foreach (var source in probed.Sources) await EnsureLocalAsync(render.JobId, source.Key, cancellationToken);
        if (work.Spec.Output.Preview) probed = await WithProxiesAsync(render.JobId, probed, cancellationToken);

        var outDir = Path.Combine(JobDirectory(render.JobId), "out");
        Directory.CreateDirectory(outDir);
        var plan = PlanFor(work, probed, Path.Combine(outDir, "final." + StorageKeys.Extension(work.Spec.Output.Format)));
        return await RenderOutputAsync(render, work, plan, fence, cancellationToken);
    }

    /// <summary>Runs a plan that writes the final output and its thumbnail (a single pass, or a join), and parks both under temp/{jobId}/.</summary>
    private async Task<RenderedOutput> RenderOutputAsync(
        RenderInput render, CompositionWork work, RenderPlan plan, JobFence? fence, CancellationToken cancellationToken, (string Name, double Weight)? part = null)
    {
        var result = await ExecuteAsync(render, plan, part, fence, cancellationToken);

        // A worker that lost its claim while ffmpeg ran must not overwrite the new owner's temp objects.
        await EnsureClaimAsync(render, fence, cancellationToken);

        var prefix = StorageKeys.TempPrefix(render.JobId);
        var outputKey = prefix + Path.GetFileName(result.OutputPath);
        var thumbnailKey = prefix + "thumbnail.jpg";
        await objects.UploadFileAsync(outputKey, result.OutputPath, StorageKeys.ContentType(work.Spec.Output.Format), cancellationToken);
        await objects.UploadFileAsync(thumbnailKey, result.ThumbnailPath, "image/jpeg", cancellationToken);
        LogRendered(logger, render.CompositionId, result.Duration, result.SizeBytes, result.Elapsed.TotalSeconds);

        var metadata = new OutputMetadata(Math.Round(result.Duration, 3), result.SizeBytes, plan.Output.Width, plan.Output.Height, StorageKeys.Extension(plan.Output.Format));
        return new RenderedOutput(outputKey, thumbnailKey, metadata);
    }

    /// <summary>Runs a plan with progress forwarded: as the job's own, or as one weighted part of a segment-parallel render.</summary>
    private async Task<RenderResult> ExecuteAsync(RenderInput render, RenderPlan plan, (string Name, double Weight)? part, JobFence? fence, CancellationToken cancellationToken)
    {
        RenderResult result;
        var reports = Channel.CreateBounded<RenderProgress>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var forwarding = part is { } p
            ? ForwardPartProgressAsync(render, p.Name, p.Weight, reports.Reader, cancellationToken)
            : ForwardProgressAsync(render.CompositionId, reports.Reader, fence, cancellationToken);
        using (var span = Telemetry.Source.StartActivity(part is null ? "ffmpeg render" : "ffmpeg render " + part.Value.Name))
        {
            span?.SetTag("composition.id", render.CompositionId.ToString("D"));
            span?.SetTag("output.width", plan.Output.Width);
            span?.SetTag("output.height", plan.Output.Height);
            span?.SetTag("output.format", StorageKeys.Extension(plan.Output.Format));
            try
            {
                result = await executor.RenderAsync(plan, new ChannelProgress(reports.Writer), cancellationToken);
                span?.SetTag("media.duration_seconds", result.Duration);
                span?.SetTag("output.size_bytes", result.SizeBytes);
            }
            catch (FfmpegException ex) when (ex.ExitCode == 1)
            {
                span.Fail(ex);
                span?.SetTag("process.exit.code", ex.ExitCode);
                // Exit 1 is ffmpeg rejecting its input or graph: the same again fails the same way.
                throw new PermanentStepException(ex.Message, ex);
            }
            catch (Exception ex)
            {
                span.Fail(ex);
                throw;
            }
            finally
            {
                reports.Writer.TryComplete();
                // Never throws (progress is best-effort), so it can neither fail a finished render nor hide the exception in flight.
                await forwarding;
            }
        }
        metrics.FfmpegRendered(result.Elapsed);
        return result;
    }

    /// <summary>One segment's video, encoded alone and parked under temp/{jobId}/segments/ for the join; run by any worker.</summary>
    public async Task<RenderedPart> RenderSegmentAsync(SegmentInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var render = input.Render;
        var work = await LoadPartAsync(render, cancellationToken);
        var probed = await plans.GetProbedAsync(render, cancellationToken);
        var windows = await plans.GetWindowsAsync(render, cancellationToken);
        if (input.Index < 0 || input.Index >= windows.Count)
            throw new PermanentStepException($"The plan has {windows.Count} segments; there is no segment {input.Index}.");
        var window = windows[input.Index];
        var total = windows.Sum(w => w.Frames);
        var key = $"{StorageKeys.TempPrefix(render.JobId)}segments/{input.Index:D4}.{StorageKeys.Extension(work.Spec.Output.Format)}";
        return await RenderPartAsync(render, work, probed, key, $"segment {input.Index}", SegmentsWeight * window.Frames / total, fence,
            (inputs, path) => planner.PlanSegment(work.Spec, inputs, window, path), cancellationToken);
    }

    /// <summary>The whole timeline's audio, mixed and encoded once, parked under temp/{jobId}/ for the join.</summary>
    public async Task<RenderedPart> RenderAudioAsync(RenderInput render, CancellationToken cancellationToken, JobFence? fence = null)
    {
        // Run once, by the job's owner, as the fan-out starts: to clients the job is in its Render step, as in a single pass.
        var work = await LoadAsync(render, Render, cancellationToken, fence);
        var probed = await plans.GetProbedAsync(render, cancellationToken);
        var key = $"{StorageKeys.TempPrefix(render.JobId)}audio.{StorageKeys.Extension(work.Spec.Output.Format)}";
        return await RenderPartAsync(render, work, probed, key, "audio", AudioWeight, fence,
            (inputs, path) => planner.PlanAudio(work.Spec, inputs, path), cancellationToken);
    }

    /// <summary>Joins the segments by stream copy and muxes the audio (no second encode), then parks output and thumbnail like Render.</summary>
    public async Task<RenderedOutput> JoinAsync(JoinInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var render = input.Render;
        var work = await LoadAsync(render, Join, cancellationToken, fence);
        var probed = await plans.GetProbedAsync(render, cancellationToken);
        // Parts rendered here are already on disk; those rendered elsewhere come from temp/.
        var segments = new List<string>(input.SegmentKeys.Count);
        foreach (var key in input.SegmentKeys) segments.Add(await EnsureLocalAsync(render.JobId, key, cancellationToken));
        var audio = await EnsureLocalAsync(render.JobId, input.AudioKey, cancellationToken);
        var outDir = Path.Combine(JobDirectory(render.JobId), "out");
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, "final." + StorageKeys.Extension(work.Spec.Output.Format));
        var plan = planner.PlanJoin(work.Spec, Inputs(work, probed), segments, audio, path);
        return await RenderOutputAsync(render, work, plan, fence, cancellationToken, part: ("join", JoinWeight));
    }

    private async Task<RenderedPart> RenderPartAsync(
        RenderInput render, CompositionWork work, ProbedInputs probed, string key, string part, double weight, JobFence? fence,
        Func<IReadOnlyDictionary<string, LocalInput>, string, RenderPlan> planPart, CancellationToken cancellationToken)
    {
        // The captions file is read while planning (it becomes an .ass file); media only when ffmpeg runs.
        foreach (var source in probed.Sources.Where(s => s.Source == work.Spec.Captions?.Source))
            await EnsureLocalAsync(render.JobId, source.Key, cancellationToken);
        var path = LocalPath(render.JobId, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        RenderPlan plan;
        try
        {
            plan = planPart(Inputs(work, probed), path);
        }
        catch (RenderPlanException ex)
        {
            throw new PermanentStepException(ex.Pointer.Length > 0 ? $"{ex.Pointer}: {ex.Detail}" : ex.Detail, ex);
        }
        // A segment of a long timeline reads a few of its clips: download those, not every input of the composition.
        foreach (var source in probed.Sources.Where(s => Reads(plan, LocalPath(render.JobId, s.Key))))
            await EnsureLocalAsync(render.JobId, source.Key, cancellationToken);
        var result = await ExecuteAsync(render, plan, (part, weight), fence, cancellationToken);
        await objects.UploadFileAsync(key, result.OutputPath, "application/octet-stream", cancellationToken);
        LogPartRendered(logger, render.CompositionId, part, result.Elapsed.TotalSeconds);
        return new RenderedPart(key, Math.Round(result.Duration, 3), result.SizeBytes);
    }

    /// <summary>Moves output and thumbnail to outputs/{id}/; a rerun after a partial move finds them already there.</summary>
    public async Task<PublishedOutput> PublishAsync(PublishInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var work = await LoadAsync(input.Render, Publish, cancellationToken, fence);
        var outputKey = StorageKeys.Output(work.Id, work.Spec.Output.Format);
        var thumbnailKey = StorageKeys.Thumbnail(work.Id);
        await CopyOnceAsync(input.Rendered.OutputTempKey, outputKey, cancellationToken);
        await CopyOnceAsync(input.Rendered.ThumbnailTempKey, thumbnailKey, cancellationToken);
        // A delete or cancel that landed while copying removed outputs/ before our copies arrived: read the status
        // after them, so either the client's delete saw our objects or we see its status and remove them.
        var status = (await store.GetOutputKeysAsync(work.Id, cancellationToken, tenant: null))?.Status;
        if (status is null or CompositionStatus.Cancelled or CompositionStatus.Deleted)
        {
            await AbandonAsync(input.Render, CancellationToken.None);
            throw new CompositionStoppedException(work.Id, status ?? CompositionStatus.Deleted);
        }
        await objects.DeletePrefixAsync(StorageKeys.TempPrefix(input.Render.JobId), cancellationToken);
        return new PublishedOutput(outputKey, thumbnailKey, input.Rendered.Metadata);
    }

    public async Task<StepAck> MarkCompletedAsync(CompleteInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var id = input.Render.CompositionId;
        var completed = await store.MarkCompletedAsync(id, input.Published.OutputKey, input.Published.ThumbnailKey, input.Published.Metadata, cancellationToken, fence);
        if (!completed)
        {
            // Not ours to judge if the claim moved on: the new owner publishes these same keys.
            await EnsureClaimAsync(input.Render, fence, cancellationToken);
            // Cancelled or deleted while publishing: its outputs must not linger.
            await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(id), cancellationToken);
        }
        else
        {
            await events.PublishAsync(new ProgressEvent(id, 100, MarkCompleted, clock.GetUtcNow()), cancellationToken);
            await events.PublishAsync(new StatusEvent(id, CompositionStatus.Completed, clock.GetUtcNow(), MarkCompleted, input.Published.Metadata), cancellationToken);
            // Once per composition: a rerun of this step finds the delivery already queued.
            await webhooks.CompletedAsync(id, input.Published.Metadata, cancellationToken);
        }
        await CleanupAsync(input.Render, cancellationToken);
        return new StepAck(completed);
    }

    public async Task<StepAck> MarkFailedAsync(FailInput input, CancellationToken cancellationToken, JobFence? fence = null)
    {
        var id = input.Render.CompositionId;
        LogFailed(logger, id, input.Step, input.Reason);
        var marked = await store.MarkFailedAsync(id, input.Reason, cancellationToken, fence);
        if (!marked) await EnsureClaimAsync(input.Render, fence, cancellationToken);
        if (marked)
        {
            var now = clock.GetUtcNow();
            await events.PublishAsync(new ErrorEvent(id, input.Reason, input.Step, now), cancellationToken);
            await events.PublishAsync(new StatusEvent(id, CompositionStatus.Failed, now, input.Step), cancellationToken);
        }
        // Also when not marked now: a rerun after a crash between the two writes must still enqueue. The outbox only
        // enqueues for a composition that is failed, and only once.
        await webhooks.FailedAsync(id, input.Reason, cancellationToken);
        await CleanupAsync(input.Render, cancellationToken);
        return new StepAck(marked);
    }

    /// <summary>Removes the job's local folder and its temp/ objects; safe to call any number of times.</summary>
    public async Task CleanupAsync(RenderInput input, CancellationToken cancellationToken)
    {
        DeleteLocalCopies(input.JobId);
        await objects.DeletePrefixAsync(StorageKeys.TempPrefix(input.JobId), cancellationToken);
        await plans.DeleteAsync(input, cancellationToken);
    }

    /// <summary>Removes the job's local folder (input copies, parts) on this machine only.</summary>
    public void DeleteLocalCopies(string jobId)
    {
        var dir = JobDirectory(jobId);
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException ex) { LogCleanupFailed(logger, ex, dir); }
    }

    /// <summary>Removes everything a stopped (cancelled or deleted) job may have left: work folder, temp/ and,
    /// unless the composition completed, outputs/ (a delete during Publish can race the copies).</summary>
    public async Task AbandonAsync(RenderInput input, CancellationToken cancellationToken)
    {
        await CleanupAsync(input, cancellationToken);
        var status = (await store.GetOutputKeysAsync(input.CompositionId, cancellationToken, tenant: null))?.Status;
        if (status != CompositionStatus.Completed)
            await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(input.CompositionId), cancellationToken);
    }

    private async Task<CompositionWork> LoadAsync(RenderInput input, string step, CancellationToken cancellationToken, JobFence? fence)
    {
        var work = await LoadPartAsync(input, cancellationToken);
        if (!await store.SetStepAsync(input.CompositionId, step, cancellationToken, fence) && fence is not null)
            throw new JobClaimLostException(input.CompositionId);
        return work;
    }

    /// <summary>A part of a segment-parallel render reads the spec only: several run at once, on any instance, and
    /// none of them is the job's current step.</summary>
    private async Task<CompositionWork> LoadPartAsync(RenderInput input, CancellationToken cancellationToken)
    {
        var work = await store.GetWorkAsync(input.CompositionId, cancellationToken)
            ?? throw new PermanentStepException($"The composition {input.CompositionId} no longer exists.");
        if (work.Status is CompositionStatus.Cancelled or CompositionStatus.Deleted)
            throw new CompositionStoppedException(input.CompositionId, work.Status);
        return work;
    }

    private async Task EnsureClaimAsync(RenderInput input, JobFence? fence, CancellationToken cancellationToken)
    {
        if (!await store.HoldsClaimAsync(fence, cancellationToken)) throw new JobClaimLostException(input.CompositionId);
    }

    /// <summary>A preview decodes low-resolution proxies of its video inputs instead of the originals (made once per input).</summary>
    private async Task<ProbedInputs> WithProxiesAsync(string jobId, ProbedInputs probed, CancellationToken cancellationToken)
    {
        var sources = new List<ProbedSource>(probed.Sources.Count);
        foreach (var source in probed.Sources)
            sources.Add(await proxies.UseAsync(source, LocalPath(jobId, source.Key), LocalPath(jobId, PreviewProxy.KeyFor(source.Key)), cancellationToken));
        return new ProbedInputs(sources);
    }

    /// <summary>Whether any pass of the plan names the file. A pass whose arguments are only resolved when it runs
    /// might read anything, so it counts as reading everything.</summary>
    private static bool Reads(RenderPlan plan, string localPath)
    {
        return plan.Passes.Any(Names);

        bool Names(RenderPass pass) =>
            pass.Resolve is not null
            || pass.Arguments.Any(a => a.Contains(localPath, StringComparison.Ordinal))
            || pass.Feed.Any(Names) || pass.Alongside.Any(Names);
    }

    /// <summary>The local copies of the probed inputs, as the planner takes them.</summary>
    private Dictionary<string, LocalInput> Inputs(CompositionWork work, ProbedInputs probed)
    {
        var inputs = probed.Sources.ToDictionary(s => s.Source, s => new LocalInput(LocalPath(work.JobId, s.Key), s.Media), StringComparer.Ordinal);
        if (work.Spec.Captions is { } captions && inputs.TryGetValue(captions.Source, out var file))
        {
            // The planner gets the captions as an .ass file in the composition's style, written from the checked cues.
            inputs[captions.Source] = file with { Path = CaptionsProbe.WriteAss(file.Path, captions, work.Spec.Output) };
        }
        return inputs;
    }

    private RenderPlan PlanFor(CompositionWork work, ProbedInputs probed, string outputPath)
    {
        var inputs = Inputs(work, probed);
        try
        {
            return planner.Plan(work.Spec, inputs, outputPath);
        }
        catch (RenderPlanException ex)
        {
            throw new PermanentStepException(ex.Pointer.Length > 0 ? $"{ex.Pointer}: {ex.Detail}" : ex.Detail, ex);
        }
    }

    /// <summary>Sends progress events and persists progress now and then. Best-effort: a failure is logged and the
    /// next report tries again; it never fails the render (this task is awaited in the render's finally).</summary>
    private async Task ForwardProgressAsync(Guid compositionId, ChannelReader<RenderProgress> reports, JobFence? fence, CancellationToken cancellationToken)
    {
        var lastPersist = DateTimeOffset.MinValue;
        var lastPercent = -1.0;
        await foreach (var report in reports.ReadAllAsync(CancellationToken.None))
        {
            var percent = Math.Round(report.Percent, 1);
            if (percent <= lastPercent) continue;
            lastPercent = percent;
            var now = clock.GetUtcNow();
            try
            {
                await events.PublishAsync(new ProgressEvent(compositionId, percent, Render, now), cancellationToken);
                if (now - lastPersist >= options.Value.ProgressPersistInterval || percent >= 100)
                {
                    lastPersist = now;
                    await store.SetProgressAsync(compositionId, percent, cancellationToken, fence);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The render is being cancelled; drain quietly.
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex, compositionId, percent);
            }
        }
    }

    /// <summary>A part's progress into the job's (the parts' weighted sum, kept in PostgreSQL because the parts may run
    /// on several instances), published when it moves. Best-effort, like <see cref="ForwardProgressAsync"/>.</summary>
    private async Task ForwardPartProgressAsync(RenderInput render, string part, double weight, ChannelReader<RenderProgress> reports, CancellationToken cancellationToken)
    {
        var lastPersist = DateTimeOffset.MinValue;
        var lastTotal = -1.0;
        await foreach (var report in reports.ReadAllAsync(CancellationToken.None))
        {
            var now = clock.GetUtcNow();
            if (now - lastPersist < options.Value.ProgressPersistInterval && report.Percent < 100) continue;
            lastPersist = now;
            try
            {
                if (await plans.SetPartProgressAsync(render, part, weight, report.Percent, cancellationToken) is not { } total) continue;
                total = Math.Round(total, 1);
                if (total <= lastTotal) continue;
                lastTotal = total;
                await events.PublishAsync(new ProgressEvent(render.CompositionId, total, Render, now), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex, render.CompositionId, report.Percent);
            }
        }
    }

    private async Task CopyOnceAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        try
        {
            await objects.CopyAsync(sourceKey, destinationKey, cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            // An earlier run of this step may have copied it and removed the temp object.
            if (await objects.GetInfoAsync(destinationKey, cancellationToken) is null) throw;
        }
    }

    /// <summary>A source is an object key, or an upload id naming the single object under inputs/{id}/.</summary>
    private async Task<string> ResolveKeyAsync(string tenant, string source, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(source, out var uploadId)) return source;
        // The tenant's own upload folder only: an upload id never reaches into another tenant's inputs.
        var prefix = StorageKeys.InputPrefix(tenant, uploadId);
        var found = await objects.ListAsync(prefix, 2, cancellationToken);
        return found.Count switch
        {
            1 => found[0].Key,
            0 => throw new PermanentStepException($"The upload '{source}' has no object under '{prefix}' (was the file uploaded?)."),
            _ => throw new PermanentStepException($"The upload '{source}' holds several objects; reference one by its key."),
        };
    }

    private async Task<string> EnsureLocalAsync(string jobId, string key, CancellationToken cancellationToken)
    {
        var path = LocalPath(jobId, key);
        if (File.Exists(path)) return path;
        try
        {
            await objects.DownloadToFileAsync(key, path, cancellationToken);
        }
        catch (ObjectNotFoundException ex)
        {
            throw new PermanentStepException($"The input object '{key}' does not exist in storage.", ex);
        }
        return path;
    }

    private string JobDirectory(string jobId) => Path.Combine(options.Value.WorkDirectory, SafeName(jobId));

    /// <summary>Local file names derive from a hash of the key, so no key can steer a path.</summary>
    private string LocalPath(string jobId, string key)
    {
        var extension = Path.GetExtension(key);
        if (extension.Length > 8 || !extension.Skip(1).All(char.IsAsciiLetterOrDigit)) extension = "";
        return Path.Combine(JobDirectory(jobId), "inputs", SafeName(key) + extension);
    }

    private static string SafeName(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..24];

    /// <summary>Every distinct source, with the pointer of the first member that names it (where its errors are reported).</summary>
    private static List<(string Source, string Pointer)> SourcesOf(CompositionSpec spec)
    {
        var members = new List<(string Source, string Pointer)>();
        members.AddRange(spec.Clips.Select((c, i) => (c.Source, $"/clips/{i}/source")));
        if (spec.Audio is not null) members.Add((spec.Audio.Source, "/audio/source"));
        members.AddRange(spec.Overlays.Select((o, i) => (o, i)).Where(x => x.o is ImageOverlaySpec)
            .Select(x => (((ImageOverlaySpec)x.o).Source, $"/overlays/{x.i}/source")));
        members.AddRange(spec.Layers.Select((l, i) => (l.Source, $"/layers/{i}/source")));
        members.AddRange(spec.AudioTracks.Select((t, i) => (t.Source, $"/audioTracks/{i}/source")));
        if (spec.Captions is not null) members.Add((spec.Captions.Source, "/captions/source"));
        return [.. members.DistinctBy(m => m.Source, StringComparer.Ordinal)];
    }

    private sealed class ChannelProgress(ChannelWriter<RenderProgress> writer) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => writer.TryWrite(value);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Rendered composition {CompositionId}: {Duration} s, {SizeBytes} bytes in {ElapsedSeconds} s")]
    private static partial void LogRendered(ILogger logger, Guid compositionId, double duration, long sizeBytes, double elapsedSeconds);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Rendered {Part} of composition {CompositionId} in {ElapsedSeconds} s")]
    private static partial void LogPartRendered(ILogger logger, Guid compositionId, string part, double elapsedSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Composition {CompositionId} failed at step {Step}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid compositionId, string step, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not remove the work folder {Directory}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not forward progress {Percent} of composition {CompositionId}; the render goes on")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, Guid compositionId, double percent);
}
