using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Burns in captions with libass. The input mapped to the captions source is the .ass file the render
/// step wrote from the validated SRT/WebVTT cues (<see cref="Captions.AssDocument"/>): cue text never enters
/// the filter graph, only the file's path does, escaped like any option value.
/// </summary>
internal static class CaptionFilters
{
    public static string Apply(FilterGraph graph, CaptionsSpec captions, IReadOnlyDictionary<string, LocalInput> inputs, string video)
    {
        if (!inputs.TryGetValue(captions.Source, out var file))
            throw new RenderPlanException("/captions/source", $"No downloaded captions for source '{captions.Source}'.");
        // complex shaping (HarfBuzz) joins Arabic letters and orders right-to-left runs.
        graph.Chain(video, [Filter.Of("ass", ("filename", file.Path), ("shaping", "complex"))], "cap");
        return "cap";
    }
}
