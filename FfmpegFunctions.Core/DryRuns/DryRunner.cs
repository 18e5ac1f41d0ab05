using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Uploads;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Steps;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.DryRuns;

/// <summary>The answer of a dry run: an estimate, or what is wrong, by pointer.</summary>
public sealed record DryRunOutcome(DryRunEstimate? Estimate, IReadOnlyList<SpecError> Errors);

/// <summary>
/// Everything a render does before its first frame, without storing anything: resolves and size-checks the sources,
/// probes each stored one where it is (the upload check's ffprobe reads a presigned URL by ranges, only media demuxers,
/// so a 2 GB clip is not copied), downloads URL sources through the same guarded fetcher as the render (into a scratch
/// folder, never into storage), applies the decoded-size limits, plans, and estimates the cost.
/// </summary>
public sealed class DryRunner(
    InputResolver inputs, UploadProbe stored, SourceFetcher fetcher, IMediaProbe probe, RenderPlanner planner, RenderThroughput throughput,
    JobWorkspace workspace, IOptions<MediaLimits> limits, IOptions<RenderOptions> options)
{
    /// <summary>Enough recent renders to take a median from, few enough to follow a deployment's changes.</summary>
    private const int Samples = 50;

    public async Task<DryRunOutcome> RunAsync(string tenant, CompositionSpec spec, CancellationToken cancellationToken)
    {
        var members = InputResolver.SourcesOf(spec);
        var keys = new string[members.Count];
        // A folder of its own for URL and caption copies and the planner's scratch names; gone when the answer is.
        var scratch = $"dryrun-{Guid.NewGuid():N}";
        try
        {
            for (var i = 0; i < members.Count; i++)
                keys[i] = await inputs.ResolveKeyAsync(scratch, tenant, members[i].Source, members[i].Pointer, cancellationToken);
            var storedInputs = Enumerable.Range(0, members.Count).Where(i => !SourceUrl.IsUrl(members[i].Source))
                .Select(i => (keys[i], members[i].Pointer)).ToList();
            await inputs.CheckSizesAsync(members.Count, storedInputs, cancellationToken);
        }
        catch (PermanentStepException ex)
        {
            return Failed(ex.Message);
        }

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
                return new DryRunOutcome(null, [new SpecError(ex.Pointer, ex.Detail)]);
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
        // Errors name what the client wrote: the URL, not the key of a staged copy.
        var name = SourceUrl.IsUrl(source) ? source : key;
        try
        {
            string? path = null;
            if (SourceUrl.IsUrl(source))
            {
                path = workspace.LocalPath(scratch, key);
                await fetcher.FetchAsync(source, pointer, path, options.Value.MaxInputBytes, cancellationToken);
            }
            if (spec.Captions?.Source == source)
            {
                path ??= await workspace.EnsureLocalAsync(scratch, key, pointer, cancellationToken);
                return new ProbeResult(new LocalInput(path, await CaptionsProbe.CheckAsync(path, name, cancellationToken)), null);
            }
            var media = path is null ? await stored.ProbeAsync(key, cancellationToken) : await probe.ProbeAsync(path, cancellationToken);
            if (limits.Value.Violation(media) is { } violation)
                return new ProbeResult(null, new SpecError(pointer, $"The input '{name}' {violation}."));
            // The planner only names the path in arguments it builds; a dry run never runs them.
            return new ProbeResult(new LocalInput(path ?? workspace.LocalPath(scratch, key), media), null);
        }
        catch (InvalidMediaException ex)
        {
            var reason = ex.ProbeError.Replace(ex.MediaPath, name, StringComparison.Ordinal).Trim();
            return new ProbeResult(null, new SpecError(pointer, $"The input '{name}' is not readable media: {reason}"));
        }
        catch (PermanentStepException ex)
        {
            return new ProbeResult(null, Error(ex.Message));
        }
        catch (SourceFetchException ex)
        {
            return new ProbeResult(null, Error(ex.Message));
        }
    }

    private static DryRunOutcome Failed(string message) => new(null, [Error(message)]);

    /// <summary>Step errors start with their pointer ("/clips/0/source: ..."); the problem keys the message by it.</summary>
    private static SpecError Error(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return message.StartsWith('/') && colon > 0 ? new SpecError(message[..colon], message[(colon + 2)..]) : new SpecError("", message);
    }

    private sealed record ProbeResult(LocalInput? Input, SpecError? Error);
}
