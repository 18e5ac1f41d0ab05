using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Sources;

/// <summary>Every member of a spec that names a source, with its JSON pointer (where errors about it are reported).</summary>
public static class SpecSources
{
    public static List<(string Source, string Pointer)> Members(CompositionSpec spec)
    {
        var members = new List<(string Source, string Pointer)>();
        members.AddRange(spec.Clips.Select((c, i) => (c.Source, $"/clips/{i}/source")));
        if (spec.Audio is not null) members.Add((spec.Audio.Source, "/audio/source"));
        members.AddRange(spec.Overlays.Select((o, i) => (o, i)).Where(x => x.o is ImageOverlaySpec)
            .Select(x => (((ImageOverlaySpec)x.o).Source, $"/overlays/{x.i}/source")));
        members.AddRange(spec.Layers.Select((l, i) => (l.Source, $"/layers/{i}/source")));
        members.AddRange(spec.AudioTracks.Select((t, i) => (t.Source, $"/audioTracks/{i}/source")));
        if (spec.Captions is not null) members.Add((spec.Captions.Source, "/captions/source"));
        return members;
    }
}
