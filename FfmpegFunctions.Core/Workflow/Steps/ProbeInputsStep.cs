using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Uploads;
using FfmpegFunctions.Core.Workflow.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>Downloads every distinct input into the job's folder, probes it, checks what it decodes to, and stores the
/// probed inputs once (later steps read them from there, so their messages stay small).</summary>
public sealed class ProbeInputsStep(
    WorkLoader loader, InputResolver inputs, IMediaProbe probe, RenderPlanStore plans, UploadConfirmer uploads,
    IOptions<MediaLimits> limits, IOptions<RenderOptions> options) : IStep<RenderInput, ProbeSummary>
{
    public async Task<ProbeSummary> RunAsync(RenderInput input, StepRun run, CancellationToken cancellationToken)
    {
        var work = await loader.ForStepAsync(input, StepNames.ProbeInputs, run.Guard, cancellationToken);
        var members = InputResolver.SourcesOf(work.Spec);
        var keys = new string[members.Count];
        for (var i = 0; i < members.Count; i++)
            keys[i] = await inputs.ResolveKeyAsync(input.JobId, work.Tenant, members[i].Source, members[i].Pointer, cancellationToken);
        var stored = Enumerable.Range(0, members.Count).Where(i => !SourceUrl.IsUrl(members[i].Source)).Select(i => (keys[i], members[i].Pointer)).ToList();
        // First use of an upload nobody confirmed: the same check as POST /api/uploads/{id}/complete, before any download.
        await uploads.ConfirmInUseAsync(work.Tenant, stored, cancellationToken);
        var storedBytes = await inputs.CheckSizesAsync(members.Count, stored, cancellationToken);
        var probed = new ProbedSource[members.Count];
        var urlBytes = new long[members.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, members.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.DownloadConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (source, pointer) = members[i];
                var path = await inputs.EnsureLocalAsync(input.JobId, source, keys[i], pointer, ct);
                // Errors name what the client wrote: the URL, not the key of our staged copy.
                var name = SourceUrl.IsUrl(source) ? source : keys[i];
                if (SourceUrl.IsUrl(source)) urlBytes[i] = new FileInfo(path).Length;
                probed[i] = new ProbedSource(source, keys[i], work.Spec.Captions?.Source == source
                    ? await CaptionsProbe.CheckAsync(path, name, ct)
                    : await ProbeMediaAsync(path, name, pointer, ct));
            });
        inputs.CheckTotal(storedBytes + urlBytes.Sum());
        await loader.EnsureHeldAsync(input, run.Guard, cancellationToken);
        await plans.SaveProbedAsync(input, new ProbedInputs(probed), cancellationToken);
        return new ProbeSummary(probed.Length);
    }

    private async Task<MediaInfo> ProbeMediaAsync(string path, string key, string pointer, CancellationToken cancellationToken)
    {
        MediaInfo media;
        try
        {
            media = await probe.ProbeAsync(path, cancellationToken);
        }
        catch (InvalidMediaException ex)
        {
            // ffprobe names our local copy; the client knows the key.
            var reason = ex.ProbeError.Replace(ex.MediaPath, key, StringComparison.Ordinal).Trim();
            throw new PermanentStepException($"{pointer}: The input '{key}' is not readable media: {reason}", ex);
        }
        // Before anything decodes it: what an input decodes to is the cost, not its bytes.
        if (limits.Value.Violation(media) is { } violation)
            throw new PermanentStepException($"{pointer}: The input '{key}' {violation}.");
        return media;
    }
}
