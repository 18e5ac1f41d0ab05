namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// A run of the timeline rendered by one ffmpeg process: clips <see cref="FirstClip"/>..<see cref="LastClip"/>,
/// the first starting <see cref="FirstClipSkip"/> frames in and the last cut after <see cref="LastClipFrames"/>.
/// </summary>
/// <param name="StartFrame">First output frame of the segment.</param>
/// <param name="Frames">Output frames the segment produces.</param>
internal sealed record VideoSegment(int FirstClip, long FirstClipSkip, int LastClip, long LastClipFrames, long StartFrame, long Frames)
{
    /// <summary>The local frame range [start, end) of clip <paramref name="index"/> inside this segment.</summary>
    public (long Start, long End) Range(TimelineClip clip) =>
        (clip.Index == FirstClip ? FirstClipSkip : 0, clip.Index == LastClip ? LastClipFrames : clip.Frames);
}

/// <summary>
/// Splits a long clip list into segments of a few clips each, so no ffmpeg process holds more than
/// <see cref="DefaultMaxClipsPerProcess"/> + 1 decoders and filter chains (ffmpeg 5.1 keeps every input's decoder and
/// frame pools until it exits: about 47 MB per 1080p clip, measured). Cuts lie right after a clip's incoming
/// transition, so every transition is rendered whole inside one segment and the frames are the unsplit ones.
/// </summary>
internal static class VideoSegments
{
    /// <summary>Clips one process renders; 4 keeps a 1080p segment near 300 MB.</summary>
    public const int DefaultMaxClipsPerProcess = 4;

    public static IReadOnlyList<VideoSegment> Split(ClipTimeline timeline, int maxClipsPerProcess = DefaultMaxClipsPerProcess)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClipsPerProcess, 1);
        var clips = timeline.Clips;
        var whole = new VideoSegment(0, 0, clips.Count - 1, clips[^1].Frames, 0, timeline.TotalFrames);
        if (clips.Count <= maxClipsPerProcess + 1) return [whole];

        var segments = new List<VideoSegment>();
        int first = 0;
        long skip = 0;
        for (var cut = maxClipsPerProcess; cut < clips.Count; cut += maxClipsPerProcess)
        {
            var clip = clips[cut];
            var incoming = clips[cut - 1].TransitionFrames;
            // Output frame where the cut falls: the end of the incoming transition (the clip's own start after a cut).
            var cutFrame = clip.StartFrame + incoming;
            var start = clips[first].StartFrame + skip;
            segments.Add(incoming > 0
                ? new VideoSegment(first, skip, cut, incoming, start, cutFrame - start)
                : new VideoSegment(first, skip, cut - 1, clips[cut - 1].Frames, start, cutFrame - start));
            first = cut;
            skip = incoming;
        }
        var lastStart = clips[first].StartFrame + skip;
        segments.Add(new VideoSegment(first, skip, clips.Count - 1, clips[^1].Frames, lastStart, timeline.TotalFrames - lastStart));
        return segments;
    }
}
