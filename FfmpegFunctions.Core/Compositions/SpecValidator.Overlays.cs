namespace FfmpegFunctions.Core.Compositions;

public static partial class SpecValidator
{
    private static void ValidateOverlays(IReadOnlyList<OverlaySpec> overlays, double? total, List<SpecError> errors)
    {
        if (overlays.Count > SpecLimits.MaxOverlays)
        {
            errors.Add(new("/overlays", $"must hold at most {SpecLimits.MaxOverlays} overlays."));
            return;
        }
        for (var i = 0; i < overlays.Count; i++)
        {
            var at = JsonPointer.Append("/overlays", i);
            switch (overlays[i])
            {
                case null:
                    errors.Add(new(at, "must not be null."));
                    continue;
                case ImageOverlaySpec image:
                    ValidateImage(image, at, errors);
                    break;
                case TextOverlaySpec text:
                    ValidateText(text, at, errors);
                    break;
                default:
                    errors.Add(new(at + "/type", "must be one of: image, text."));
                    break;
            }
            ValidatePlacement(overlays[i], at, total, errors);
        }
    }

    private static void ValidateImage(ImageOverlaySpec image, string at, List<SpecError> errors)
    {
        ValidateSource(image.Source, at + "/source", errors);
        if (image.Width is { } width && (width < SpecLimits.MinImageWidth || width > SpecLimits.MaxImageWidth))
            errors.Add(new(at + "/width", $"must be between {SpecLimits.MinImageWidth} and {SpecLimits.MaxImageWidth} pixels."));
        if (image.Scale is { } scale)
        {
            if (image.Width is not null) errors.Add(new(at + "/scale", "cannot be combined with width; give one of them."));
            else if (!(scale > 0 && scale <= 1)) errors.Add(new(at + "/scale", "must be more than 0 and at most 1."));
        }
        if (!InRange(image.Opacity, 0, 1)) errors.Add(new(at + "/opacity", "must be between 0 and 1."));
    }

    private static void ValidateText(TextOverlaySpec text, string at, List<SpecError> errors)
    {
        if (string.IsNullOrWhiteSpace(text.Text)) errors.Add(new(at + "/text", "must not be empty."));
        else if (SpecText.Length(text.Text) > SpecLimits.MaxTextElements)
            errors.Add(new(at + "/text", $"must be at most {SpecLimits.MaxTextElements} characters."));
        else if (SpecText.HasForbiddenControl(text.Text))
            errors.Add(new(at + "/text", "must not contain control characters other than newline."));
        if (text.FontSize < SpecLimits.MinFontSize || text.FontSize > SpecLimits.MaxFontSize)
            errors.Add(new(at + "/fontSize", $"must be between {SpecLimits.MinFontSize} and {SpecLimits.MaxFontSize}."));
        if (!SpecText.IsColor(text.Color))
            errors.Add(new(at + "/color", "must be a colour name (optionally name@alpha) or #RRGGBB[AA]."));
        if (!SpecText.IsColor(text.BoxColor))
            errors.Add(new(at + "/boxColor", "must be a colour name (optionally name@alpha) or #RRGGBB[AA]."));
        if (!SpecText.IsFontFamily(text.Font))
            errors.Add(new(at + "/font", "must be a font family name: 1 to 64 letters, digits, spaces, '_' or '-'."));
    }

    private static void ValidatePlacement(OverlaySpec overlay, string at, double? total, List<SpecError> errors)
    {
        if (!Enum.IsDefined(overlay.Position)) errors.Add(new(at + "/position", "is not a known position."));
        if (overlay.X is { } x && Math.Abs(x) > SpecLimits.MaxOffset)
            errors.Add(new(at + "/x", $"must be between -{SpecLimits.MaxOffset} and {SpecLimits.MaxOffset}."));
        if (overlay.Y is { } y && Math.Abs(y) > SpecLimits.MaxOffset)
            errors.Add(new(at + "/y", $"must be between -{SpecLimits.MaxOffset} and {SpecLimits.MaxOffset}."));
        if (overlay.Margin < 0 || overlay.Margin > SpecLimits.MaxMargin)
            errors.Add(new(at + "/margin", $"must be between 0 and {SpecLimits.MaxMargin}."));

        if (!InRange(overlay.Start, 0, double.MaxValue))
            errors.Add(new(at + "/start", "must be 0 or more seconds."));
        else if (total is { } t && overlay.Start >= t)
            errors.Add(new(at + "/start", $"must be before the end of the video ({Seconds(t)})."));
        if (overlay.End is { } end)
        {
            if (!(double.IsFinite(end) && end > overlay.Start))
                errors.Add(new(at + "/end", "must be after start."));
            else if (total is { } t2 && end > t2 + SpecLimits.TimeEpsilon)
                errors.Add(new(at + "/end", $"must not be after the end of the video ({Seconds(t2)})."));
        }
        var shown = (overlay.End ?? total) is { } until ? until - overlay.Start : (double?)null;
        ValidateFades(overlay.FadeIn, overlay.FadeOut, shown, at, errors);
    }
}
