using System.Globalization;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// Semantic rules of spec v1, on records (parsed or built in code). Reports every problem with
/// its JSON pointer. Timeline rules only use lengths the spec declares; the planner re-checks
/// after probing the sources.
/// </summary>
public static partial class SpecValidator
{
    public static IReadOnlyList<SpecError> Validate(CompositionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();

        if (spec.Title is { } title && SpecText.Length(title) > SpecLimits.MaxTitleElements)
            errors.Add(new("/title", $"must be at most {SpecLimits.MaxTitleElements} characters."));
        if (!Enum.IsDefined(spec.Priority)) errors.Add(new("/priority", "is not a known priority."));
        if (spec.CallbackUrl is { } callbackUrl) ValidateCallbackUrl(callbackUrl, errors);

        if (spec.Output is null) errors.Add(new("/output", "must not be null."));
        else ValidateOutput(spec.Output, errors);

        var clips = spec.Clips ?? [];
        var before = errors.Count;
        ValidateClips(clips, errors);
        // A total built from invalid clips would only add confusing follow-on errors.
        var total = errors.Count == before ? Timeline.KnownTotal(clips) : null;
        if (total > SpecLimits.MaxTimelineSeconds + SpecLimits.TimeEpsilon)
            errors.Add(new("/clips", $"add up to {Seconds(total.Value)}, more than the {Seconds(SpecLimits.MaxTimelineSeconds)} a composition may last."));

        if (spec.Audio is { } audio) ValidateAudio(audio, errors);
        ValidateOverlays(spec.Overlays ?? [], total, errors);
        ValidateLayers(spec.Layers ?? [], total, errors);
        if (spec.Captions is { } captions) ValidateCaptions(captions, errors);
        ValidateAudioTracks(spec.AudioTracks ?? [], total, errors);
        if (spec.Ducking is null) errors.Add(new("/ducking", "must not be null."));
        else ValidateDucking(spec.Ducking, errors);

        if (spec.Thumbnail is null) errors.Add(new("/thumbnail", "must not be null."));
        else ValidateThumbnail(spec.Thumbnail, total, errors);

        return errors;
    }

    private static void ValidateOutput(OutputSpec output, List<SpecError> errors)
    {
        ValidateDimension(output.Width, "/output/width", errors);
        ValidateDimension(output.Height, "/output/height", errors);
        // Orientation-free 4K: the long side may reach 3840, the short side 2160.
        if (Math.Min(output.Width, output.Height) > SpecLimits.MaxShortSide && Math.Max(output.Width, output.Height) <= SpecLimits.MaxLongSide)
        {
            var shortSide = output.Width < output.Height ? "/output/width" : "/output/height";
            errors.Add(new(shortSide, $"the shorter side must be at most {SpecLimits.MaxShortSide} (4K is {SpecLimits.MaxLongSide}x{SpecLimits.MaxShortSide} either way round)."));
        }
        if (!InRange(output.Fps, SpecLimits.MinFps, SpecLimits.MaxFps))
            errors.Add(new("/output/fps", $"must be between {SpecLimits.MinFps} and {SpecLimits.MaxFps} frames per second."));
        if (!Enum.IsDefined(output.Format)) errors.Add(new("/output/format", "is not a known format."));
        if (output.Quality is { } quality)
        {
            // CRF scales differ per encoder: x264 stops at 51, VP9 at 63; GIF ignores it.
            var max = output.Format == OutputFormat.Mp4 ? SpecLimits.MaxCrfMp4 : SpecLimits.MaxCrfWebm;
            if (quality < 0 || quality > max)
                errors.Add(new("/output/quality", $"must be between 0 and {max} for {output.Format.ToString().ToLowerInvariant()}."));
        }
        if (output.Preset is null || !EncoderPresets.Supported.Contains(output.Preset))
            errors.Add(new("/output/preset", "must be one of: " + string.Join(", ", EncoderPresets.FastestFirst) + "."));
        if (output.AudioBitrate < SpecLimits.MinAudioBitrate || output.AudioBitrate > SpecLimits.MaxAudioBitrate)
            errors.Add(new("/output/audioBitrate", $"must be between {SpecLimits.MinAudioBitrate} and {SpecLimits.MaxAudioBitrate} kbit/s."));
        if (output.Loudness is { } loudness) ValidateLoudness(loudness, output, errors);
    }

    /// <summary>Form only; whether the target may be called (no private networks) is the webhooks feature's check at creation.</summary>
    private static void ValidateCallbackUrl(string url, List<SpecError> errors)
    {
        if (url.Length > SpecLimits.MaxCallbackUrlLength)
            errors.Add(new("/callbackUrl", $"must be at most {SpecLimits.MaxCallbackUrlLength} characters."));
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            errors.Add(new("/callbackUrl", "must be an absolute http or https URL."));
        else if (uri.UserInfo.Length > 0)
            errors.Add(new("/callbackUrl", "must not carry credentials; verify the Webhook-Signature header instead."));
    }

    private static void ValidateDimension(int value, string pointer, List<SpecError> errors)
    {
        if (value < SpecLimits.MinDimension || value > SpecLimits.MaxLongSide)
            errors.Add(new(pointer, $"must be between {SpecLimits.MinDimension} and {SpecLimits.MaxLongSide} pixels."));
        else if (value % 2 != 0)
            errors.Add(new(pointer, "must be even (yuv420p needs even dimensions)."));
    }

    private static void ValidateAudio(AudioSpec audio, List<SpecError> errors)
    {
        ValidateSource(audio.Source, "/audio/source", errors);
        if (!InRange(audio.Volume, 0, SpecLimits.MaxVolume))
            errors.Add(new("/audio/volume", $"must be between 0 and {SpecLimits.MaxVolume}."));
        if (!InRange(audio.FadeIn, 0, SpecLimits.MaxFadeSeconds))
            errors.Add(new("/audio/fadeIn", $"must be between 0 and {SpecLimits.MaxFadeSeconds} seconds."));
        if (!InRange(audio.FadeOut, 0, SpecLimits.MaxFadeSeconds))
            errors.Add(new("/audio/fadeOut", $"must be between 0 and {SpecLimits.MaxFadeSeconds} seconds."));
        if (!InRange(audio.ClipAudio, 0, SpecLimits.MaxClipAudio))
            errors.Add(new("/audio/clipAudio", $"must be between 0 and {SpecLimits.MaxClipAudio}."));
    }

    private static void ValidateThumbnail(ThumbnailSpec thumbnail, double? total, List<SpecError> errors)
    {
        // Only a time the client gave can be wrong: the default adapts to the video's length.
        if (thumbnail.Time is { } time)
        {
            if (!InRange(time, 0, double.MaxValue))
                errors.Add(new("/thumbnail/time", "must be 0 or more seconds."));
            else if (total is { } t && time >= t)
                errors.Add(new("/thumbnail/time", $"must be before the end of the video ({Seconds(t)})."));
        }
        if (thumbnail.Width is { } width)
        {
            if (width < SpecLimits.MinThumbnailWidth || width > SpecLimits.MaxThumbnailWidth)
                errors.Add(new("/thumbnail/width", $"must be between {SpecLimits.MinThumbnailWidth} and {SpecLimits.MaxThumbnailWidth} pixels."));
            else if (width % 2 != 0)
                errors.Add(new("/thumbnail/width", "must be even."));
        }
    }

    private static void ValidateSource(string? source, string pointer, List<SpecError> errors)
    {
        if (string.IsNullOrEmpty(source)) errors.Add(new(pointer, "is required."));
        else if (Sources.SourceUrl.IsUrl(source))
        {
            // Scheme and address rules depend on the deployment's settings: the API checks them at creation.
            if (Sources.SourceUrl.ShapeProblem(source) is { } problem) errors.Add(new(pointer, problem));
        }
        else if (!SourceKey.IsValid(source))
            errors.Add(new(pointer, "must be an https:// URL, an upload id or a relative object key (no other scheme, leading '/', '..', backslash or control characters; at most 1024 bytes)."));
    }

    /// <summary>Also false for NaN, which code-built specs can carry.</summary>
    private static bool InRange(double value, double min, double max) => value >= min && value <= max;

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
