namespace FfmpegFunctions.Core.Compositions;

// Spec v2 rules: layers, captions, speed, motion and fades. Lengths that need the probed media are
// re-checked by the planner.
public static partial class SpecValidator
{
    private static void ValidateMotionAndSpeed(ClipSpec clip, string at, List<SpecError> errors)
    {
        if (!InRange(clip.Speed, SpecLimits.MinSpeed, SpecLimits.MaxSpeed))
            errors.Add(new(at + "/speed", $"must be between {SpecLimits.MinSpeed} and {SpecLimits.MaxSpeed}."));
        ValidateFades(clip.FadeIn, clip.FadeOut, CheckedLength(clip), at, errors);
        if (clip.Motion is not { } motion) return;
        if (!Enum.IsDefined(motion.Easing)) errors.Add(new(at + "/motion/easing", "is not a known easing."));
        ValidateFrame(motion.From, at + "/motion/from", errors);
        ValidateFrame(motion.To, at + "/motion/to", errors);
    }

    private static void ValidateFrame(MotionFrame? frame, string at, List<SpecError> errors)
    {
        if (frame is null)
        {
            errors.Add(new(at, "must not be null."));
            return;
        }
        if (!InRange(frame.Zoom, 1, SpecLimits.MaxZoom)) errors.Add(new(at + "/zoom", $"must be between 1 (the whole frame) and {SpecLimits.MaxZoom}."));
        if (!InRange(frame.X, 0, 1)) errors.Add(new(at + "/x", "must be between 0 (left edge) and 1 (right edge)."));
        if (!InRange(frame.Y, 0, 1)) errors.Add(new(at + "/y", "must be between 0 (top edge) and 1 (bottom edge)."));
    }

    /// <param name="length">Seconds on screen when the spec says; null when only probing will tell.</param>
    private static void ValidateFades(double fadeIn, double fadeOut, double? length, string at, List<SpecError> errors)
    {
        var before = errors.Count;
        if (!InRange(fadeIn, 0, SpecLimits.MaxFadeSeconds))
            errors.Add(new(at + "/fadeIn", $"must be between 0 and {SpecLimits.MaxFadeSeconds} seconds."));
        if (!InRange(fadeOut, 0, SpecLimits.MaxFadeSeconds))
            errors.Add(new(at + "/fadeOut", $"must be between 0 and {SpecLimits.MaxFadeSeconds} seconds."));
        if (errors.Count == before && length is { } l && fadeIn + fadeOut > l + SpecLimits.TimeEpsilon)
            errors.Add(new(at + (fadeOut > 0 ? "/fadeOut" : "/fadeIn"), $"together with the other fade is longer than what is on screen ({Seconds(l)})."));
    }

    private static void ValidateLayers(IReadOnlyList<LayerSpec> layers, double? total, List<SpecError> errors)
    {
        if (layers.Count > SpecLimits.MaxLayers)
        {
            errors.Add(new("/layers", $"must hold at most {SpecLimits.MaxLayers} layers."));
            return;
        }
        for (var i = 0; i < layers.Count; i++)
        {
            var at = JsonPointer.Append("/layers", i);
            if (layers[i] is not { } layer)
            {
                errors.Add(new(at, "must not be null."));
                continue;
            }
            ValidateSource(layer.Source, at + "/source", errors);
            if (!InRange(layer.Start, 0, double.MaxValue)) errors.Add(new(at + "/start", "must be 0 or more seconds."));
            else if (total is { } t && layer.Start >= t) errors.Add(new(at + "/start", $"must be before the end of the video ({Seconds(t)})."));
            if (layer.Duration is { } duration && !(duration > 0 && double.IsFinite(duration)))
                errors.Add(new(at + "/duration", "must be more than 0 seconds."));
            if (layer.Trim is { } trim)
            {
                if (!InRange(trim.Start, 0, double.MaxValue)) errors.Add(new(at + "/trim/start", "must be 0 or more seconds."));
                if (trim.End is { } end && !(double.IsFinite(end) && end > trim.Start)) errors.Add(new(at + "/trim/end", "must be after trim.start."));
            }
            if (!Enum.IsDefined(layer.Position)) errors.Add(new(at + "/position", "is not a known position."));
            if (layer.X is { } x && Math.Abs(x) > SpecLimits.MaxOffset) errors.Add(new(at + "/x", $"must be between -{SpecLimits.MaxOffset} and {SpecLimits.MaxOffset}."));
            if (layer.Y is { } y && Math.Abs(y) > SpecLimits.MaxOffset) errors.Add(new(at + "/y", $"must be between -{SpecLimits.MaxOffset} and {SpecLimits.MaxOffset}."));
            if (layer.Margin < 0 || layer.Margin > SpecLimits.MaxMargin) errors.Add(new(at + "/margin", $"must be between 0 and {SpecLimits.MaxMargin}."));
            if (layer.Width is { } width && (width < SpecLimits.MinImageWidth || width > SpecLimits.MaxImageWidth))
                errors.Add(new(at + "/width", $"must be between {SpecLimits.MinImageWidth} and {SpecLimits.MaxImageWidth} pixels."));
            if (layer.Height is { } height)
            {
                if (layer.Width is null) errors.Add(new(at + "/height", "needs width too: with both the layer fills that box by its fit."));
                else if (height < SpecLimits.MinImageWidth || height > SpecLimits.MaxImageWidth)
                    errors.Add(new(at + "/height", $"must be between {SpecLimits.MinImageWidth} and {SpecLimits.MaxImageWidth} pixels."));
            }
            if (layer.Scale is { } scale)
            {
                if (layer.Width is not null) errors.Add(new(at + "/scale", "cannot be combined with width; give one of them."));
                else if (!(scale > 0 && scale <= 1)) errors.Add(new(at + "/scale", "must be more than 0 and at most 1."));
            }
            if (!Enum.IsDefined(layer.Fit)) errors.Add(new(at + "/fit", "is not a known fit."));
            if (!InRange(layer.Opacity, 0, 1)) errors.Add(new(at + "/opacity", "must be between 0 and 1."));
            double? trimmed = layer.Trim is { End: { } e } tr ? e - tr.Start : null;
            var shown = (layer.Duration, trimmed) switch { ({ } d, { } w) => Math.Min(d, w), ({ } d, null) => d, (null, { } w) => w, _ => (double?)null };
            ValidateFades(layer.FadeIn, layer.FadeOut, shown, at, errors);
        }
    }

    private static void ValidateCaptions(CaptionsSpec captions, List<SpecError> errors)
    {
        const string at = "/captions";
        ValidateSource(captions.Source, at + "/source", errors);
        if (!SpecText.IsFontFamily(captions.Font))
            errors.Add(new(at + "/font", "must be a font family name: 1 to 64 letters, digits, spaces, '_' or '-'."));
        if (captions.FontSize < SpecLimits.MinCaptionFontSize || captions.FontSize > SpecLimits.MaxCaptionFontSize)
            errors.Add(new(at + "/fontSize", $"must be between {SpecLimits.MinCaptionFontSize} and {SpecLimits.MaxCaptionFontSize}."));
        foreach (var (name, value) in new[] { ("color", captions.Color), ("outlineColor", captions.OutlineColor), ("boxColor", captions.BoxColor) })
        {
            if (!CaptionColor.TryParse(value, out _))
                errors.Add(new($"{at}/{name}", "must be #RRGGBB, #RRGGBBAA or one of: " + string.Join(", ", CaptionColor.Names) + "."));
        }
        if (captions.Outline < 0 || captions.Outline > SpecLimits.MaxCaptionOutline)
            errors.Add(new(at + "/outline", $"must be between 0 and {SpecLimits.MaxCaptionOutline} pixels."));
        if (!Enum.IsDefined(captions.Position)) errors.Add(new(at + "/position", "is not a known position."));
        if (captions.Margin < 0 || captions.Margin > SpecLimits.MaxMargin)
            errors.Add(new(at + "/margin", $"must be between 0 and {SpecLimits.MaxMargin}."));
    }
}
