namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// Timeline arithmetic shared by validation and the planner: clips play in order and each
/// transition overlaps the two clips it joins, so it shortens the total by its duration.
/// </summary>
public static class Timeline
{
    /// <summary>
    /// The length a clip declares on the output timeline: the shorter of <c>duration</c> and the trim
    /// window played at the clip's speed, whichever are given; null when neither is (a video playing to
    /// its end, known only after probing).
    /// </summary>
    public static double? KnownLength(ClipSpec clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var speed = clip.Speed > 0 && double.IsFinite(clip.Speed) ? clip.Speed : 1;
        double? trimmed = clip.Trim is { End: { } end } trim ? (end - trim.Start) / speed : null;
        return (clip.Duration, trimmed) switch
        {
            ({ } d, { } t) => Math.Min(d, t),
            ({ } d, null) => d,
            (null, { } t) => t,
            _ => null,
        };
    }

    /// <summary>Duration of the transition out of clip <paramref name="index"/>; the last clip never transitions.</summary>
    public static double TransitionOut(IReadOnlyList<ClipSpec> clips, int index)
    {
        ArgumentNullException.ThrowIfNull(clips);
        return index < clips.Count - 1 && clips[index]?.Transition is { } t ? t.Duration : 0;
    }

    /// <summary>Sum of clip lengths minus the transition overlaps.</summary>
    public static double TotalDuration(IReadOnlyList<double> clipLengths, IReadOnlyList<double> transitionDurations)
    {
        ArgumentNullException.ThrowIfNull(clipLengths);
        ArgumentNullException.ThrowIfNull(transitionDurations);
        return clipLengths.Sum() - transitionDurations.Sum();
    }

    /// <summary>The total when every clip's length is declared; null while any is unknown.</summary>
    public static double? KnownTotal(IReadOnlyList<ClipSpec> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var lengths = new List<double>(clips.Count);
        var transitions = new List<double>(clips.Count);
        for (var i = 0; i < clips.Count; i++)
        {
            if (clips[i] is null || KnownLength(clips[i]) is not { } length) return null;
            lengths.Add(length);
            transitions.Add(TransitionOut(clips, i));
        }
        return TotalDuration(lengths, transitions);
    }
}
