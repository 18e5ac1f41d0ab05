using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// output.preview: the same composition as a fast draft. The output is scaled to at most 360 lines and
/// 15 fps and encoded ultrafast at lower quality; every pixel measure in the spec (overlay and layer
/// positions, sizes, margins, font sizes) is scaled with it, so the draft is laid out like the final.
/// Captions scale themselves (their file is laid out in the spec's output size).
/// </summary>
internal static class PreviewSpec
{
    public const int MaxHeight = 360;
    public const double MaxFps = 15;

    public static CompositionSpec For(CompositionSpec spec)
    {
        var output = spec.Output;
        var shortSide = Math.Min(output.Width, output.Height);
        var k = shortSide > MaxHeight ? (double)MaxHeight / shortSide : 1;
        var draft = output with
        {
            Width = Even(output.Width * k),
            Height = Even(output.Height * k),
            Fps = Math.Min(output.Fps, MaxFps),
            Preset = "ultrafast",
            Quality = output.Format == OutputFormat.Webm ? 40 : 30,
            AudioBitrate = Math.Min(output.AudioBitrate, 96),
            // A draft is for timing and layout; the loudness pass would add a second run over the audio.
            Loudness = null,
        };
        return spec with
        {
            Output = draft,
            Overlays = [.. spec.Overlays.Select(o => Scale(o, k))],
            Layers = [.. spec.Layers.Select(l => l with
            {
                X = Px(l.X, k), Y = Px(l.Y, k), Margin = Px(l.Margin, k),
                Width = l.Width is { } w ? Math.Max(2, Even(w * k)) : null,
                Height = l.Height is { } h ? Math.Max(2, Even(h * k)) : null,
            })],
            Thumbnail = spec.Thumbnail with { Width = spec.Thumbnail.Width is { } tw ? Math.Max(16, Even(tw * k)) : null },
        };
    }

    private static OverlaySpec Scale(OverlaySpec overlay, double k) => overlay switch
    {
        ImageOverlaySpec image => image with { X = Px(image.X, k), Y = Px(image.Y, k), Margin = Px(image.Margin, k), Width = image.Width is { } w ? Math.Max(2, Px(w, k)) : null },
        TextOverlaySpec text => text with { X = Px(text.X, k), Y = Px(text.Y, k), Margin = Px(text.Margin, k), FontSize = Math.Max(SpecLimits.MinFontSize, Px(text.FontSize, k)) },
        _ => overlay,
    };

    private static int Px(int value, double k) => (int)Math.Round(value * k);

    private static int? Px(int? value, double k) => value is { } v ? Px(v, k) : null;

    private static int Even(double value)
    {
        var rounded = (int)Math.Round(value);
        return Math.Max(2, rounded - (rounded % 2));
    }
}
