using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Image and text overlays drawn on the joined video, each enabled only inside its time window.</summary>
internal static class OverlayFilters
{
    /// <summary>
    /// The image is a plain single-frame input: overlay repeats a finished input's last frame,
    /// so it is scaled and faded once instead of once per output frame as with <c>-loop 1</c>.
    /// </summary>
    public static void Image(FilterGraph graph, ImageOverlaySpec overlay, int inputIndex, OutputSpec output, (double Start, double End)? window, (double Start, double End) span, string main, string label)
    {
        var prepared = label + "img";
        var filters = new List<Filter>();
        var width = overlay.Width ?? (overlay.Scale is { } scale ? (int)Math.Round(scale * output.Width) : (int?)null);
        if (width is { } w) filters.Add(Filter.Of("scale", ("w", Invariant.Number(Math.Max(w, 1))), ("h", "-1")));
        filters.Add(Filter.Of("format", ("pix_fmts", "rgba")));
        if (overlay.Opacity < 1) filters.Add(Filter.Of("colorchannelmixer", ("aa", Invariant.Number(overlay.Opacity))));
        // A fading image is a looped input (see FadesImage), so its frames carry output-clock times to fade on.
        filters.AddRange(LayerFilters.AlphaFades(overlay.FadeIn, overlay.FadeOut, span.Start, span.End));
        graph.Chain($"{inputIndex}:v:0", filters, prepared);

        var options = new List<(string, string)>
        {
            ("x", overlay.X is { } x ? Invariant.Number(x) : Horizontal(overlay.Position, overlay.Margin, "W", "w")),
            ("y", overlay.Y is { } y ? Invariant.Number(y) : Vertical(overlay.Position, overlay.Margin, "H", "h")),
        };
        if (window is { } t) options.Add(("enable", Between(t)));
        graph.Chain([main, prepared], [Filter.Of("overlay", [.. options])], label);
    }

    /// <summary>
    /// drawtext with <c>expansion=none</c> so <c>%</c> is literal; the text itself is made safe by <see cref="FilterEscaping"/>.
    /// </summary>
    public static Filter Text(TextOverlaySpec overlay, (double Start, double End)? window, (double Start, double End) span)
    {
        var options = new List<(string, string)>
        {
            ("font", overlay.Font),
            ("text", overlay.Text),
            ("expansion", "none"),
            ("fontsize", Invariant.Number(overlay.FontSize)),
            ("fontcolor", overlay.Color),
        };
        if (overlay.Box)
        {
            options.Add(("box", "1"));
            options.Add(("boxcolor", overlay.BoxColor));
            options.Add(("boxborderw", Invariant.Number(Math.Max(1, overlay.FontSize / 4))));
        }
        options.Add(("x", overlay.X is { } x ? Invariant.Number(x) : Horizontal(overlay.Position, overlay.Margin, "w", "tw")));
        options.Add(("y", overlay.Y is { } y ? Invariant.Number(y) : Vertical(overlay.Position, overlay.Margin, "h", "th")));
        if (window is { } t) options.Add(("enable", Between(t)));
        if (overlay.FadeIn > 0 || overlay.FadeOut > 0) options.Add(("alpha", FadeAlpha(overlay.FadeIn, overlay.FadeOut, span)));
        return Filter.Of("drawtext", [.. options]);
    }

    /// <summary>A fading image overlay needs frames over its whole window, not one frame held by overlay.</summary>
    public static bool FadesImage(ImageOverlaySpec overlay) => overlay.FadeIn > 0 || overlay.FadeOut > 0;

    /// <summary>drawtext's alpha over its window: up from 0 over fadeIn, down to 0 over fadeOut.</summary>
    private static string FadeAlpha(double fadeIn, double fadeOut, (double Start, double End) window)
    {
        var (s, e) = window;
        var rising = fadeIn > 0 ? $"if(lt(t,{Invariant.Seconds(s + fadeIn)}),(t-{Invariant.Seconds(s)})/{Invariant.Seconds(fadeIn)},1)" : "1";
        var falling = fadeOut > 0 ? $"if(gt(t,{Invariant.Seconds(e - fadeOut)}),({Invariant.Seconds(e)}-t)/{Invariant.Seconds(fadeOut)},1)" : "1";
        return $"clip(min({rising},{falling}),0,1)";
    }

    private static string Between((double Start, double End) window) =>
        $"between(t,{Invariant.Seconds(window.Start)},{Invariant.Seconds(window.End)})";

    public static string Horizontal(Position position, int margin, string full, string size) => position switch
    {
        Position.TopLeft or Position.Left or Position.BottomLeft => Invariant.Number(margin),
        Position.Top or Position.Center or Position.Bottom => $"({full}-{size})/2",
        _ => $"{full}-{size}-{Invariant.Number(margin)}",
    };

    public static string Vertical(Position position, int margin, string full, string size) => position switch
    {
        Position.TopLeft or Position.Top or Position.TopRight => Invariant.Number(margin),
        Position.Left or Position.Center or Position.Right => $"({full}-{size})/2",
        _ => $"{full}-{size}-{Invariant.Number(margin)}",
    };
}
