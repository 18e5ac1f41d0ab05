using System.Globalization;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>One clip placed on the output timeline, in whole output frames.</summary>
/// <param name="TrimStart">Seconds into the source where the clip begins (0 for still images).</param>
/// <param name="Frames">Frames the clip contributes before overlapping with its neighbours.</param>
/// <param name="StartFrame">First output frame of the clip (its incoming transition starts here).</param>
/// <param name="TransitionFrames">Frames of the transition into the next clip; 0 means a cut.</param>
public sealed record TimelineClip(
    int Index,
    ClipSpec Spec,
    LocalInput Input,
    double TrimStart,
    long Frames,
    long StartFrame,
    long TransitionFrames);

/// <summary>
/// The probed timeline: clip lengths from trims, caps and probed durations, rounded to whole frames;
/// each transition overlaps two clips, so total = sum(lengths) - sum(transitions).
/// </summary>
public sealed record ClipTimeline(FrameRate Rate, IReadOnlyList<TimelineClip> Clips, long TotalFrames)
{
    public double Duration => Rate.ToSeconds(TotalFrames);

    public IReadOnlyList<double> ClipStarts => [.. Clips.Select(c => Rate.ToSeconds(c.StartFrame))];

    public double Seconds(long frames) => Rate.ToSeconds(frames);

    public static ClipTimeline Build(IReadOnlyList<ClipSpec> clips, IReadOnlyDictionary<string, LocalInput> inputs, FrameRate rate)
    {
        if (clips.Count == 0) throw new RenderPlanException("/clips", "A composition needs at least one clip.");

        var lengths = new (LocalInput Input, double TrimStart, long Frames)[clips.Count];
        for (var i = 0; i < clips.Count; i++) lengths[i] = Measure(clips[i], i, inputs, rate);

        var placed = new List<TimelineClip>(clips.Count);
        long start = 0, incoming = 0;
        for (var i = 0; i < clips.Count; i++)
        {
            var transition = i < clips.Count - 1 ? TransitionFrames(clips, i, lengths[i].Frames - incoming, lengths[i + 1].Frames, rate) : 0;
            placed.Add(new TimelineClip(i, clips[i], lengths[i].Input, lengths[i].TrimStart, lengths[i].Frames, start, transition));
            start += lengths[i].Frames - transition;
            incoming = transition;
        }
        return new ClipTimeline(rate, placed, start);
    }

    private static (LocalInput Input, double TrimStart, long Frames) Measure(
        ClipSpec clip, int index, IReadOnlyDictionary<string, LocalInput> inputs, FrameRate rate)
    {
        var pointer = $"/clips/{index}";
        if (!inputs.TryGetValue(clip.Source, out var input))
            throw new RenderPlanException($"{pointer}/source", $"No downloaded input for source '{clip.Source}'.");
        var media = input.Media;
        if (!media.HasVideo && !media.IsStillImage)
            throw new RenderPlanException($"{pointer}/source", $"Source '{clip.Source}' has no video stream.");

        double trimStart, seconds;
        if (media.IsStillImage)
        {
            trimStart = 0;
            seconds = clip.Duration ?? throw new RenderPlanException($"{pointer}/duration", "A still image needs a duration.");
        }
        else
        {
            (trimStart, var sourceSeconds) = SourceWindow.Measure(clip.Source, clip.Trim, clip.Duration, media.Duration, pointer, Slack(rate));
            // The trim window is source time; at another speed it lasts (end - start) / speed on the output.
            seconds = sourceSeconds / clip.Speed;
            if (clip.Duration is { } limit) seconds = Math.Min(seconds, limit);
        }

        var frames = rate.ToFrames(seconds);
        if (frames < 1)
            throw new RenderPlanException(clip.Duration is not null ? $"{pointer}/duration" : $"{pointer}/trim",
                $"The clip is {Num(seconds)} s long, shorter than one output frame.");
        return (input, trimStart, frames);
    }

    private static long TransitionFrames(IReadOnlyList<ClipSpec> clips, int index, long available, long nextFrames, FrameRate rate)
    {
        if (clips[index].Transition is not { } transition) return 0;
        var frames = rate.ToFrames(transition.Duration);
        if (frames > available)
            throw new RenderPlanException($"/clips/{index}/transition/duration",
                $"The {Num(transition.Duration)} s transition is longer than clip {index} ({Num(rate.ToSeconds(available))} s left after its incoming transition).");
        if (frames > nextFrames)
            throw new RenderPlanException($"/clips/{index}/transition/duration",
                $"The {Num(transition.Duration)} s transition is longer than clip {index + 1} ({Num(rate.ToSeconds(nextFrames))} s).");
        return frames;
    }

    /// <summary>How far a time may pass a probed or planned end before it is an error rather than rounding.</summary>
    public static double Slack(FrameRate rate) => Math.Max(rate.ToSeconds(1), 0.05);

    /// <summary>Fails an explicit time (an overlay's end, the thumbnail's) that lies beyond the probed timeline.</summary>
    public void CheckWithin(double time, string pointer, string what)
    {
        if (time > Duration + Slack(Rate))
            throw new RenderPlanException(pointer, $"The {what} at {Num(time)} s is beyond the end of the video, which is {Num(Duration)} s long.");
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
