namespace FfmpegFunctions.Core.Compositions;

public static partial class SpecValidator
{
    private static void ValidateClips(IReadOnlyList<ClipSpec> clips, List<SpecError> errors)
    {
        if (clips.Count < SpecLimits.MinClips || clips.Count > SpecLimits.MaxClips)
        {
            errors.Add(new("/clips", $"must hold between {SpecLimits.MinClips} and {SpecLimits.MaxClips} clips."));
            if (clips.Count > SpecLimits.MaxClips) return;
        }
        for (var i = 0; i < clips.Count; i++)
        {
            var at = JsonPointer.Append("/clips", i);
            if (clips[i] is not { } clip)
            {
                errors.Add(new(at, "must not be null."));
                continue;
            }
            ValidateClip(clip, at, errors);
            if (clip.Transition is not null)
            {
                if (i == clips.Count - 1) errors.Add(new(at + "/transition", "is not allowed on the last clip: there is no next clip to transition into."));
                else ValidateTransitionFits(clips, i, at, errors);
            }
        }
    }

    private static void ValidateClip(ClipSpec clip, string at, List<SpecError> errors)
    {
        ValidateSource(clip.Source, at + "/source", errors);
        if (clip.Trim is { } trim)
        {
            if (!InRange(trim.Start, 0, double.MaxValue))
                errors.Add(new(at + "/trim/start", "must be 0 or more seconds."));
            if (trim.End is { } end && !(double.IsFinite(end) && end > trim.Start))
                errors.Add(new(at + "/trim/end", "must be after trim.start."));
        }
        if (clip.Duration is { } duration && !(duration > 0 && double.IsFinite(duration)))
            errors.Add(new(at + "/duration", "must be more than 0 seconds."));
        if (!Enum.IsDefined(clip.Fit)) errors.Add(new(at + "/fit", "is not a known fit."));
        if (!InRange(clip.Volume, 0, SpecLimits.MaxVolume))
            errors.Add(new(at + "/volume", $"must be between 0 and {SpecLimits.MaxVolume}."));
        if (clip.Transition is { } transition)
        {
            if (transition.Type is null || !TransitionTypes.Supported.Contains(transition.Type))
                errors.Add(new(at + "/transition/type", "must be one of: " + string.Join(", ", TransitionTypes.Supported.Order(StringComparer.Ordinal)) + "."));
            if (!(transition.Duration > 0 && transition.Duration <= SpecLimits.MaxTransitionSeconds))
                errors.Add(new(at + "/transition/duration", $"must be more than 0 and at most {SpecLimits.MaxTransitionSeconds} seconds."));
        }
        ValidateMotionAndSpeed(clip, at, errors);
    }

    /// <summary>
    /// A transition overlaps the end of clip i and the start of clip i+1, so both must be long
    /// enough; clip i+1 must also fit its own outgoing transition after the incoming one.
    /// </summary>
    private static void ValidateTransitionFits(IReadOnlyList<ClipSpec> clips, int i, string at, List<SpecError> errors)
    {
        var duration = clips[i].Transition!.Duration;
        if (!(duration > 0 && duration <= SpecLimits.MaxTransitionSeconds)) return;
        var pointer = at + "/transition/duration";
        var incoming = i > 0 ? Timeline.TransitionOut(clips, i - 1) : 0;
        if (CheckedLength(clips[i]) is { } own && incoming + duration > own + SpecLimits.TimeEpsilon)
        {
            errors.Add(new(pointer, incoming > 0
                ? $"together with the transition into this clip ({Seconds(incoming)}) is longer than the clip ({Seconds(own)})."
                : $"is longer than this clip ({Seconds(own)})."));
        }
        else if (clips[i + 1] is { } next && CheckedLength(next) is { } nextLength && duration > nextLength + SpecLimits.TimeEpsilon)
        {
            errors.Add(new(pointer, $"is longer than the next clip ({Seconds(nextLength)})."));
        }
    }

    /// <summary>
    /// The clip's declared length, or null when a member it is made of (trim, duration, speed) is itself invalid: that
    /// member has its own error, and a length built from it (negative for trim 3..1) would only add derived ones
    /// elsewhere (a fade or transition "longer than the clip") for members the client never got wrong.
    /// </summary>
    private static double? CheckedLength(ClipSpec clip)
    {
        if (clip.Trim is { } trim && (!InRange(trim.Start, 0, double.MaxValue) || trim.End is { } end && !(double.IsFinite(end) && end > trim.Start)))
            return null;
        if (clip.Duration is { } duration && !(duration > 0 && double.IsFinite(duration))) return null;
        if (!InRange(clip.Speed, SpecLimits.MinSpeed, SpecLimits.MaxSpeed)) return null;
        return Timeline.KnownLength(clip);
    }
}
