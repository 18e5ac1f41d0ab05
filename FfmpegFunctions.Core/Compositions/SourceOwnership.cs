using FfmpegFunctions.Core.Storage;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// A composition may only read what its tenant owns: its own uploads (a bare upload id always resolves
/// inside the tenant's folder) and the shared samples. A key under outputs/, temp/ or another tenant's
/// inputs/t/{tenant}/ is refused at creation, so a render can never copy someone else's media.
/// </summary>
public static class SourceOwnership
{
    public static Dictionary<string, string[]> Check(CompositionSpec spec, string tenant)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < spec.Clips.Count; i++) Check(spec.Clips[i].Source, $"/clips/{i}/source", tenant, errors);
        if (spec.Audio is { } audio) Check(audio.Source, "/audio/source", tenant, errors);
        for (var i = 0; i < spec.Overlays.Count; i++)
            if (spec.Overlays[i] is ImageOverlaySpec image) Check(image.Source, $"/overlays/{i}/source", tenant, errors);
        for (var i = 0; i < spec.Layers.Count; i++) Check(spec.Layers[i].Source, $"/layers/{i}/source", tenant, errors);
        for (var i = 0; i < spec.AudioTracks.Count; i++) Check(spec.AudioTracks[i].Source, $"/audioTracks/{i}/source", tenant, errors);
        if (spec.Captions is { } captions) Check(captions.Source, "/captions/source", tenant, errors);
        return errors;
    }

    private static void Check(string source, string pointer, string tenant, Dictionary<string, string[]> errors)
    {
        // A URL is not in our storage: the scheme and address rules apply to it instead (SourceCheck).
        if (Sources.SourceUrl.IsUrl(source) || Guid.TryParse(source, out _) || StorageKeys.TenantMayRead(tenant, source)) return;
        errors[pointer] = [$"'{source}' is not one of your uploads: name an upload id, a key under '{StorageKeys.TenantInputsPrefix(tenant)}' or a sample."];
    }
}
