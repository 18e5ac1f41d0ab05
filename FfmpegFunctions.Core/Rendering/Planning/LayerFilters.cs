using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Spec v2 layers (picture-in-picture): each layer is its own input, cut at input level to what it
/// shows, shifted to its start on the output clock, sized, faded and overlaid on the main track in order.
/// Video only: a layer's sound is not mixed.
/// </summary>
internal static class LayerFilters
{
    public const double DefaultScale = 0.3;

    public static string Apply(
        FilterGraph graph, IReadOnlyList<LayerSpec> layers, IReadOnlyDictionary<string, LocalInput> inputs, OutputSpec output,
        FrameRate rate, double total, List<string> arguments, ref int inputIndex, string video, (double From, double To)? segment = null)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var pointer = $"/layers/{i}";
            var (input, trimStart, seconds) = Measure(layer, pointer, inputs, total, rate);
            var start = layer.Start;
            var end = start + seconds;
            if (segment is { } s)
            {
                // A segment of a segment-parallel render (on the output clock): a layer it does not show is left out,
                // and one it shows is read no further than a second past the segment. It is still read from its own
                // start, so its frames land exactly where a single pass puts them.
                if (end <= s.From || start >= s.To) continue;
                seconds = Math.Min(seconds, s.To + 1 - start);
            }

            if (input.Media.IsStillImage)
                arguments.AddRange(["-loop", "1", "-framerate", rate.ToString(), "-t", Invariant.Seconds(seconds), "-i", input.Path]);
            else if (trimStart > 0)
                arguments.AddRange(["-ss", Invariant.Seconds(trimStart), "-t", Invariant.Seconds(seconds), "-i", input.Path]);
            else
                arguments.AddRange(["-t", Invariant.Seconds(seconds), "-i", input.Path]);

            var prepared = $"ly{i}";
            var filters = new List<Filter>
            {
                // On the output clock from its start, so the overlay shows it exactly there.
                Filter.Of("setpts", ("expr", $"PTS-STARTPTS+{Invariant.Seconds(start)}/TB")),
                Filter.Of("fps", ("fps", rate.ToString())),
            };
            filters.AddRange(Size(layer, input.Media, output));
            filters.Add(Filter.Of("format", ("pix_fmts", "yuva420p")));
            if (layer.Opacity < 1) filters.Add(Filter.Of("colorchannelmixer", ("aa", Invariant.Number(layer.Opacity))));
            filters.AddRange(AlphaFades(layer.FadeIn, layer.FadeOut, start, end));
            graph.Chain($"{inputIndex}:v:0", filters, prepared);
            inputIndex++;

            var label = $"lv{i}";
            graph.Chain([video, prepared], [Filter.Of("overlay",
                ("x", layer.X is { } x ? Invariant.Number(x) : OverlayFilters.Horizontal(layer.Position, layer.Margin, "W", "w")),
                ("y", layer.Y is { } y ? Invariant.Number(y) : OverlayFilters.Vertical(layer.Position, layer.Margin, "H", "h")),
                ("eof_action", "pass"),
                ("enable", $"between(t,{Invariant.Seconds(start)},{Invariant.Seconds(end)})"))], label);
            video = label;
        }
        return video;
    }

    /// <summary>Fades of the layer's alpha, on the output clock.</summary>
    public static IEnumerable<Filter> AlphaFades(double fadeIn, double fadeOut, double start, double end)
    {
        var length = end - start;
        if (fadeIn > 0)
            yield return Filter.Of("fade", ("t", "in"), ("st", Invariant.Seconds(start)), ("d", Invariant.Seconds(Math.Min(fadeIn, length))), ("alpha", "1"));
        if (fadeOut > 0)
        {
            var d = Math.Min(fadeOut, length);
            yield return Filter.Of("fade", ("t", "out"), ("st", Invariant.Seconds(end - d)), ("d", Invariant.Seconds(d)), ("alpha", "1"));
        }
    }

    private static (LocalInput Input, double TrimStart, double Seconds) Measure(LayerSpec layer, string pointer, IReadOnlyDictionary<string, LocalInput> inputs, double total, FrameRate rate)
    {
        if (!inputs.TryGetValue(layer.Source, out var input))
            throw new RenderPlanException($"{pointer}/source", $"No downloaded input for source '{layer.Source}'.");
        var media = input.Media;
        if (!media.HasVideo && !media.IsStillImage)
            throw new RenderPlanException($"{pointer}/source", $"Source '{layer.Source}' has no video stream.");
        if (layer.Start >= total)
            throw new RenderPlanException($"{pointer}/start",
                $"The layer starts at {Invariant.Seconds(layer.Start)} s but the video is only {Invariant.Seconds(total)} s long.");

        double trimStart = 0, seconds;
        if (media.IsStillImage)
        {
            seconds = layer.Duration ?? throw new RenderPlanException($"{pointer}/duration", "A still image layer needs a duration.");
        }
        else
        {
            (trimStart, seconds) = SourceWindow.Measure(layer.Source, layer.Trim, layer.Duration, media.Duration, pointer, ClipTimeline.Slack(rate));
            if (layer.Duration is { } limit) seconds = Math.Min(seconds, limit);
        }
        // A layer that would run past the end is cut there.
        return (input, trimStart, Math.Min(seconds, total - layer.Start));
    }

    private static IEnumerable<Filter> Size(LayerSpec layer, MediaInfo media, OutputSpec output)
    {
        var width = layer.Width ?? Even((int)Math.Round((layer.Scale ?? DefaultScale) * output.Width));
        var w = Invariant.Number(Math.Max(2, width));
        if (layer.Height is not { } height)
        {
            yield return Filter.Of("scale", ("w", w), ("h", "-2"));
            yield break;
        }
        var h = Invariant.Number(height);
        if (layer.Fit == Fit.Cover)
        {
            yield return Filter.Of("scale", ("w", w), ("h", h), ("force_original_aspect_ratio", "increase"));
            yield return Filter.Of("crop", ("w", w), ("h", h));
        }
        else
        {
            // Contain (and blur, which has no background to blur here): letterboxed in a transparent box.
            yield return Filter.Of("scale", ("w", w), ("h", h), ("force_original_aspect_ratio", "decrease"));
            yield return Filter.Of("format", ("pix_fmts", "yuva420p"));
            yield return Filter.Of("pad", ("w", w), ("h", h), ("x", "(ow-iw)/2"), ("y", "(oh-ih)/2"), ("color", "black@0"));
        }
    }

    private static int Even(int value) => value - (value % 2);
}
