namespace FfmpegFunctions.Core.Compositions;

// Spec v2 sound: audio tracks, ducking and loudness.
public static partial class SpecValidator
{
    private static void ValidateAudioTracks(IReadOnlyList<AudioTrackSpec> tracks, double? total, List<SpecError> errors)
    {
        if (tracks.Count > SpecLimits.MaxAudioTracks)
        {
            errors.Add(new("/audioTracks", $"must hold at most {SpecLimits.MaxAudioTracks} tracks."));
            return;
        }
        for (var i = 0; i < tracks.Count; i++)
        {
            var at = JsonPointer.Append("/audioTracks", i);
            if (tracks[i] is not { } track)
            {
                errors.Add(new(at, "must not be null."));
                continue;
            }
            ValidateSource(track.Source, at + "/source", errors);
            if (!Enum.IsDefined(track.Role)) errors.Add(new(at + "/role", "is not a known role."));
            if (!InRange(track.Start, 0, double.MaxValue)) errors.Add(new(at + "/start", "must be 0 or more seconds."));
            else if (total is { } t && track.Start >= t) errors.Add(new(at + "/start", $"must be before the end of the video ({Seconds(t)})."));
            if (track.Trim is { } trim)
            {
                if (!InRange(trim.Start, 0, double.MaxValue)) errors.Add(new(at + "/trim/start", "must be 0 or more seconds."));
                if (trim.End is { } end && !(double.IsFinite(end) && end > trim.Start)) errors.Add(new(at + "/trim/end", "must be after trim.start."));
            }
            if (track.Duration is { } duration && !(duration > 0 && double.IsFinite(duration)))
                errors.Add(new(at + "/duration", "must be more than 0 seconds."));
            if (!InRange(track.Volume, 0, SpecLimits.MaxVolume)) errors.Add(new(at + "/volume", $"must be between 0 and {SpecLimits.MaxVolume}."));
            double? trimmed = track.Trim is { End: { } e } tr ? e - tr.Start : null;
            var plays = track.Duration ?? (track.Loop ? null : trimmed);
            ValidateFades(track.FadeIn, track.FadeOut, plays, at, errors);
        }
    }

    private static void ValidateDucking(DuckingSpec ducking, List<SpecError> errors)
    {
        if (!InRange(ducking.Depth, 0, SpecLimits.MaxDuckingDepth))
            errors.Add(new("/ducking/depth", $"must be between 0 (off) and {SpecLimits.MaxDuckingDepth} dB."));
        if (!InRange(ducking.Attack, 0, SpecLimits.MaxDuckingRamp))
            errors.Add(new("/ducking/attack", $"must be between 0 and {SpecLimits.MaxDuckingRamp} seconds."));
        if (!InRange(ducking.Release, 0, SpecLimits.MaxDuckingRamp))
            errors.Add(new("/ducking/release", $"must be between 0 and {SpecLimits.MaxDuckingRamp} seconds."));
    }

    private static void ValidateLoudness(LoudnessSpec loudness, OutputSpec output, List<SpecError> errors)
    {
        if (!InRange(loudness.Target, SpecLimits.MinLoudnessTarget, SpecLimits.MaxLoudnessTarget))
            errors.Add(new("/output/loudness/target", $"must be between {SpecLimits.MinLoudnessTarget} and {SpecLimits.MaxLoudnessTarget} LUFS."));
        if (!InRange(loudness.TruePeak, SpecLimits.MinTruePeak, SpecLimits.MaxTruePeak))
            errors.Add(new("/output/loudness/truePeak", $"must be between {SpecLimits.MinTruePeak} and {SpecLimits.MaxTruePeak} dBTP."));
        if (output.Format == OutputFormat.Gif) errors.Add(new("/output/loudness", "has nothing to act on: a GIF has no sound."));
    }
}
