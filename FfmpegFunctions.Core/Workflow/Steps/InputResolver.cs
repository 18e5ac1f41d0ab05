using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>A composition's inputs: which objects its sources name, whether they fit the limits, and their local copies as the planner takes them.</summary>
public sealed class InputResolver(IObjectStore objects, JobWorkspace workspace, SourceFetcher fetcher, IOptions<RenderOptions> options)
{
    /// <summary>Every distinct source, with the pointer of the first member that names it (where its errors are reported).</summary>
    public static List<(string Source, string Pointer)> SourcesOf(CompositionSpec spec) =>
        [.. SpecSources.Members(spec).DistinctBy(m => m.Source, StringComparer.Ordinal)];

    /// <summary>The storage key a source is read from: an object key as given, an upload id's single object under the
    /// tenant's inputs/{id}/, or for a URL the job's one staged copy of it (see <see cref="EnsureLocalAsync"/>).</summary>
    public async Task<string> ResolveKeyAsync(string jobId, string tenant, string source, string pointer, CancellationToken cancellationToken)
    {
        if (SourceUrl.IsUrl(source)) return StorageKeys.UrlSource(jobId, source);
        if (!Guid.TryParse(source, out var uploadId)) return source;
        // The tenant's own upload folder only: an upload id never reaches into another tenant's inputs.
        var prefix = StorageKeys.InputPrefix(tenant, uploadId);
        var found = await objects.ListAsync(prefix, 2, cancellationToken);
        return found.Count switch
        {
            1 => found[0].Key,
            0 => throw new PermanentStepException($"{pointer}: The upload '{source}' has no object under '{prefix}' (was the file uploaded?)."),
            _ => throw new PermanentStepException($"{pointer}: The upload '{source}' holds several objects; reference one by its key."),
        };
    }

    /// <summary>Sizes of stored inputs come from the objects' metadata, so one over the limit fails before any byte of it
    /// is downloaded (URL sources are limited while they download).</summary>
    /// <returns>The stored inputs' total size.</returns>
    public async Task<long> CheckSizesAsync(int inputs, IReadOnlyList<(string Key, string Pointer)> stored, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (inputs > limits.MaxInputs)
            throw new PermanentStepException($"The composition reads {inputs} inputs, more than the {limits.MaxInputs} allowed.");
        long total = 0;
        foreach (var (key, pointer) in stored)
        {
            var info = await objects.GetInfoAsync(key, cancellationToken)
                ?? throw new PermanentStepException($"{pointer}: The input object '{key}' does not exist in storage.");
            if (info.Size > limits.MaxInputBytes)
                throw new PermanentStepException($"{pointer}: The input '{key}' is {info.Size} bytes, more than the {limits.MaxInputBytes} allowed per input.");
            total += info.Size;
        }
        CheckTotal(total);
        return total;
    }

    public void CheckTotal(long total)
    {
        if (total > options.Value.MaxTotalInputBytes)
            throw new PermanentStepException($"The inputs add up to {total} bytes, more than the {options.Value.MaxTotalInputBytes} allowed per composition.");
    }

    /// <summary>The source's local copy in the job's folder. A URL is downloaded once per job: the copy is also staged under
    /// the job's temp/ key, so a retried probe or a render step on another instance reads that copy, never the URL again.</summary>
    public async Task<string> EnsureLocalAsync(string jobId, string source, string key, string pointer, CancellationToken cancellationToken)
    {
        if (!SourceUrl.IsUrl(source)) return await workspace.EnsureLocalAsync(jobId, key, pointer, cancellationToken);
        var path = workspace.LocalPath(jobId, key);
        if (File.Exists(path)) return path;
        if (await objects.GetInfoAsync(key, cancellationToken) is not null) return await workspace.EnsureLocalAsync(jobId, key, pointer, cancellationToken);
        var contentType = await fetcher.FetchAsync(source, pointer, path, options.Value.MaxInputBytes, cancellationToken);
        await objects.UploadFileAsync(key, path, contentType, cancellationToken);
        return path;
    }

    /// <summary>The local copies of the probed inputs, as the planner takes them.</summary>
    public Dictionary<string, LocalInput> LocalInputs(CompositionWork work, ProbedInputs probed)
    {
        var inputs = probed.Sources.ToDictionary(s => s.Source, s => new LocalInput(workspace.LocalPath(work.JobId, s.Key), s.Media), StringComparer.Ordinal);
        if (work.Spec.Captions is { } captions && inputs.TryGetValue(captions.Source, out var file))
        {
            // The planner gets the captions as an .ass file in the composition's style, written from the checked cues.
            inputs[captions.Source] = file with { Path = CaptionsProbe.WriteAss(file.Path, captions, work.Spec.Output) };
        }
        return inputs;
    }
}
