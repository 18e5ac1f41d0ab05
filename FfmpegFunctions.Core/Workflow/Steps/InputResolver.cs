using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>A composition's inputs: which objects its sources name, whether they fit the limits, and their local copies as the planner takes them.</summary>
public sealed class InputResolver(IObjectStore objects, JobWorkspace workspace, IOptions<RenderOptions> options)
{
    /// <summary>Every distinct source, with the pointer of the first member that names it (where its errors are reported).</summary>
    public static List<(string Source, string Pointer)> SourcesOf(CompositionSpec spec)
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

    /// <summary>A source is an object key, or an upload id naming the single object under the tenant's inputs/{id}/.</summary>
    public async Task<string> ResolveKeyAsync(string tenant, string source, CancellationToken cancellationToken)
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

    /// <summary>Sizes come from the objects' metadata, so an input over the limit fails before any byte of it is downloaded.</summary>
    public async Task CheckSizesAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (keys.Count > limits.MaxInputs)
            throw new PermanentStepException($"The composition reads {keys.Count} inputs, more than the {limits.MaxInputs} allowed.");
        long total = 0;
        foreach (var key in keys)
        {
            var info = await objects.GetInfoAsync(key, cancellationToken)
                ?? throw new PermanentStepException($"The input object '{key}' does not exist in storage.");
            if (info.Size > limits.MaxInputBytes)
                throw new PermanentStepException($"The input '{key}' is {info.Size} bytes, more than the {limits.MaxInputBytes} allowed per input.");
            total += info.Size;
        }
        if (total > limits.MaxTotalInputBytes)
            throw new PermanentStepException($"The inputs add up to {total} bytes, more than the {limits.MaxTotalInputBytes} allowed per composition.");
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
