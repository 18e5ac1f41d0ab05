namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Cuts a long timeline into windows of about equal length for a segment-parallel render. Cuts fall on frame
/// boundaries and never strictly inside a transition (a cut at a transition's first or last frame is fine: the
/// transition is then rendered whole in one window), so every output frame is the one a single pass renders.
/// A cut between clips is preferred when one lies near the ideal point: a window that starts inside a video clip
/// must decode that clip from its start (see <see cref="ClipFilters.SeekFrames"/>).
/// </summary>
internal static class SegmentWindows
{
    /// <summary>No window shorter than this, in seconds: below it the per-segment costs (process start, an input
    /// seek, a fresh keyframe, an upload) stop paying for the parallelism.</summary>
    public const double MinSegmentSeconds = 2;

    /// <summary>How far from the ideal cut (as a share of a segment) a cut between clips is still preferred.</summary>
    public const double ClipBoundaryReach = 0.25;

    public static IReadOnlyList<TimelineWindow> Split(ClipTimeline timeline, double segmentSeconds)
    {
        var total = timeline.TotalFrames;
        var target = timeline.Rate.ToFrames(Math.Max(segmentSeconds, MinSegmentSeconds));
        if (total <= target) return [TimelineWindow.Whole(timeline)];

        // Equal shares rather than full segments plus a short tail: the slowest segment sets the wall time.
        var count = (int)Math.Ceiling((double)total / target);
        var reach = (long)(ClipBoundaryReach * total / count);
        // Where a clip starts on its own, after its incoming transition: a window starting there decodes nothing twice.
        var boundaries = timeline.Clips.Skip(1).Select(c => c.StartFrame + timeline.Clips[c.Index - 1].TransitionFrames).ToList();
        var cuts = new List<long>();
        for (var k = 1; k < count; k++)
        {
            var ideal = (long)Math.Round((double)total * k / count);
            var nearest = boundaries.Count > 0 ? boundaries.MinBy(b => Math.Abs(b - ideal)) : -1;
            var cut = nearest > 0 && Math.Abs(nearest - ideal) <= reach ? nearest : Outside(timeline, ideal);
            if (cut > (cuts.Count > 0 ? cuts[^1] : 0) && cut < total) cuts.Add(cut);
        }

        var windows = new List<TimelineWindow>(cuts.Count + 1);
        long start = 0;
        foreach (var cut in cuts.Append(total))
        {
            windows.Add(new TimelineWindow(windows.Count, start, cut - start));
            start = cut;
        }
        return windows;
    }

    /// <summary>The frame itself, or the nearer end of the transition it falls strictly inside.</summary>
    private static long Outside(ClipTimeline timeline, long frame)
    {
        foreach (var clip in timeline.Clips)
        {
            if (clip.TransitionFrames == 0) continue;
            var next = timeline.Clips[clip.Index + 1];
            long from = next.StartFrame, to = next.StartFrame + clip.TransitionFrames;
            if (frame > from && frame < to) return frame - from <= to - frame ? from : to;
        }
        return frame;
    }
}
