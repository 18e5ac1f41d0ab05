using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Steps;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.DryRuns;

/// <summary>The answer of a dry run: an estimate, or what is wrong, by pointer.</summary>
public sealed record DryRunOutcome(DryRunEstimate? Estimate, IReadOnlyList<SpecError> Errors);

/// <summary>
/// Everything a render does before its first frame, without storing anything: resolves and size-checks the sources,
/// probes each where it is stored (ffprobe reads a presigned URL by ranges, so a 2 GB clip is not copied; caption
/// files are small and are read whole), applies the decoded-size limits, plans, and estimates the cost.
/// </summary>
public sealed class DryRunner(
    InputResolver inputs, IObjectStore objects, IMediaProbe probe, RenderPlanner planner, RenderThroughput throughput, JobWorkspace workspace,
    IOptions<MediaLimits> limits, IOptions<RenderOptions> options)
{
    /// <summary>Enough recent renders to take a median from, few enough to follow a deployment's changes.</summary>
    private const int Samples = 50;

    public async Task<DryRunOutcome> RunAsync(string tenant, CompositionSpec spec, CancellationToken cancellationToken)
    {
        var members = InputResolver.SourcesOf(spec);
        var keys = new string[members.Count];
        try
        {
            for (var i = 0; i < members.Count; i++) keys[i] = await inputs.ResolveKeyAsync(tenant, members[i].Source, cancellationToken);
            await inputs.CheckSizesAsync(keys, cancellationToken);
        }
        catch (PermanentStepException ex)
        {
            return Failed(PointerOf(ex.Message, members, keys), ex.Message);
        }

        // A folder of its own for caption copies and the planner's scratch names; gone when the answer is.
        var scratch = $"dryrun-{Guid.NewGuid():N}";
        try
        {
            var probed = new ProbeResult[members.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, members.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.DownloadConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => probed[i] = await ProbeAsync(spec, members[i].Source, members[i].Pointer, keys[i], scratch, ct));
            var errors = probed.Where(p => p.Error is not null).Select(p => p.Error!).ToList();
            if (errors.Count > 0) return new DryRunOutcome(null, errors);

            var local = new Dictionary<string, LocalInput>(StringComparer.Ordinal);
            for (var i = 0; i < members.Count; i++) local[members[i].Source] = probed[i].Input!;
            if (spec.Captions is { } captions && local.TryGetValue(captions.Source, out var file))
                local[captions.Source] = file with { Path = CaptionsProbe.WriteAss(file.Path, captions, spec.Output) };

            RenderPlan plan;
            IReadOnlyList<TimelineWindow> windows;
            try
            {
                plan = planner.Plan(spec, local, Path.Combine(workspace.JobDirectory(scratch), "out", "plan-check"));
                windows = planner.Windows(spec, local, options.Value.SegmentSeconds);
            }
            catch (RenderPlanException ex)
            {
                return Failed(ex.Pointer.Length > 0 ? ex.Pointer : "", ex.Detail);
            }
            return new DryRunOutcome(await EstimateAsync(spec, plan, windows, members, probed, cancellationToken), []);
        }
        finally
        {
            workspace.DeleteLocalCopies(scratch);
        }
    }

    private async Task<DryRunEstimate> EstimateAsync(
        CompositionSpec spec, RenderPlan plan, IReadOnlyList<TimelineWindow> windows, List<(string Source, string Pointer)> members,
        ProbeResult[] probed, CancellationToken cancellationToken)
    {
        var output = plan.Output;
        var frames = windows.Sum(w => w.Frames);
        var format = StorageKeys.Extension(output.Format);
        var megapixelFrames = (double)frames * output.Width * output.Height / 1e6;
        var (bytes, seconds, basis) = RenderEstimator.Estimate(format, megapixelFrames, plan.Duration, output.AudioBitrate,
            await throughput.RecentAsync(Samples, cancellationToken));
        IReadOnlyList<string> passes = windows.Count > 1
            ? [$"{windows.Count} segments", "audio", "join"]
            : [.. plan.Passes.Select(p => p.Name)];
        var described = members.Select((m, i) =>
        {
            var media = probed[i].Input!.Media;
            return new DryRunInput(m.Pointer, m.Source, media.Duration, media.HasVideo, media.HasAudio, media.Width, media.Height);
        }).ToList();
        return new DryRunEstimate(Math.Round(plan.Duration, 3), frames, output.Width, output.Height, output.Fps, format,
            passes, windows.Count, bytes, seconds, basis, described);
    }

    private async Task<ProbeResult> ProbeAsync(CompositionSpec spec, string source, string pointer, string key, string scratch, CancellationToken cancellationToken)
    {
        try
        {
            if (spec.Captions?.Source == source)
            {
                var path = await workspace.EnsureLocalAsync(scratch, key, cancellationToken);
                return new ProbeResult(new LocalInput(path, await CaptionsProbe.CheckAsync(path, key, cancellationToken)), null);
            }
            // Long enough for a slow probe, short enough not to outlive the request by much.
            var media = await probe.ProbeRemoteAsync(objects.PresignGet(key, TimeSpan.FromMinutes(10)), cancellationToken);
            if (limits.Value.Violation(media) is { } violation)
                return new ProbeResult(null, new SpecError(pointer, $"The input '{key}' {violation}."));
            // The planner only names the path in arguments it builds; a dry run never runs them.
            return new ProbeResult(new LocalInput(workspace.LocalPath(scratch, key), media), null);
        }
        catch (InvalidMediaException ex)
        {
            return new ProbeResult(null, new SpecError(pointer, $"The input '{key}' is not readable media: {ex.ProbeError.Replace(ex.MediaPath, key, StringComparison.Ordinal).Trim()}"));
        }
        catch (PermanentStepException ex)
        {
            return new ProbeResult(null, new SpecError(pointer, ex.Message));
        }
    }

    /// <summary>The member a resolution error is about: the one whose source or key it quotes.</summary>
    private static string PointerOf(string message, List<(string Source, string Pointer)> members, string?[] keys)
    {
        for (var i = 0; i < members.Count; i++)
            if (message.Contains($"'{members[i].Source}'", StringComparison.Ordinal) || (keys[i] is { } key && message.Contains($"'{key}'", StringComparison.Ordinal)))
                return members[i].Pointer;
        return "";
    }

    private static DryRunOutcome Failed(string pointer, string message) => new(null, [new SpecError(pointer, message)]);

    private sealed record ProbeResult(LocalInput? Input, SpecError? Error);
}
