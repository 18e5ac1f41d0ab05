namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// A run of the timeline rendered by one ffmpeg process: clips <see cref="FirstClip"/>..<see cref="LastClip"/>,
/// the first starting <see cref="FirstClipSkip"/> frames in and the last cut after <see cref="LastClipFrames"/>.
/// </summary>
/// <param name="StartFrame">First output frame of the chunk.</param>
/// <param name="Frames">Output frames the chunk produces.</param>
internal sealed record VideoChunk(int FirstClip, long FirstClipSkip, int LastClip, long LastClipFrames, long StartFrame, long Frames)
{
    /// <summary>The local frame range [start, end) of clip <paramref name="index"/> inside this chunk.</summary>
    public (long Start, long End) Range(TimelineClip clip) =>
        (clip.Index == FirstClip ? FirstClipSkip : 0, clip.Index == LastClip ? LastClipFrames : clip.Frames);
}

/// <summary>
/// Splits a long clip list into chunks of a few clips each, so no ffmpeg process holds more than
/// <see cref="DefaultMaxClipsPerProcess"/> + 1 decoders and filter chains (ffmpeg 5.1 keeps every input's decoder and
/// frame pools until it exits: about 47 MB per 1080p clip, measured). Chunks are cut for memory and streamed into one
/// encoder; a segment is a part of a segment-parallel render, encoded on its own (<see cref="TimelineWindow"/>). Cuts lie right after a clip's incoming
/// transition, so every transition is rendered whole inside one chunk and the frames are the unsplit ones.
/// </summary>
internal static class VideoChunks
{
    /// <summary>Clips one process renders; 4 keeps a 1080p chunk near 300 MB.</summary>
    public const int DefaultMaxClipsPerProcess = 4;

    public static IReadOnlyList<VideoChunk> Split(ClipTimeline timeline, int maxClipsPerProcess = DefaultMaxClipsPerProcess) =>
        Split(timeline, TimelineWindow.Whole(timeline), maxClipsPerProcess);

    /// <summary>The same split inside one window of the timeline (a segment of a segment-parallel render).</summary>
    public static IReadOnlyList<VideoChunk> Split(ClipTimeline timeline, TimelineWindow window, int maxClipsPerProcess = DefaultMaxClipsPerProcess)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClipsPerProcess, 1);
        var whole = For(timeline, window.StartFrame, window.EndFrame);
        if (whole.LastClip - whole.FirstClip + 1 <= maxClipsPerProcess + 1) return [whole];

        var clips = timeline.Clips;
        var chunks = new List<VideoChunk>();
        var start = window.StartFrame;
        for (var cut = whole.FirstClip + maxClipsPerProcess; cut <= whole.LastClip; cut += maxClipsPerProcess)
        {
            // Output frame where the cut falls: the end of the incoming transition (the clip's own start after a cut).
            var cutFrame = clips[cut].StartFrame + clips[cut - 1].TransitionFrames;
            if (cutFrame >= window.EndFrame) break;
            chunks.Add(For(timeline, start, cutFrame));
            start = cutFrame;
        }
        chunks.Add(For(timeline, start, window.EndFrame));
        return chunks;
    }

    /// <summary>
    /// The clips that show output frames [<paramref name="start"/>, <paramref name="end"/>). The first is the
    /// earliest clip still on screen at <paramref name="start"/>, so a range that starts where a transition starts
    /// renders that transition whole; the last is the latest clip that starts before <paramref name="end"/>.
    /// </summary>
    public static VideoChunk For(ClipTimeline timeline, long start, long end)
    {
        var clips = timeline.Clips;
        var first = 0;
        while (first < clips.Count - 1 && clips[first].StartFrame + clips[first].Frames <= start) first++;
        var last = clips.Count - 1;
        while (last > first && clips[last].StartFrame >= end) last--;
        return new VideoChunk(first, start - clips[first].StartFrame, last, end - clips[last].StartFrame, start, end - start);
    }
}
