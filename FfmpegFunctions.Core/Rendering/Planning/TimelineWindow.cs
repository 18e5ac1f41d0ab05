namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Output frames [<see cref="StartFrame"/>, <see cref="StartFrame"/> + <see cref="Frames"/>) of the timeline: one
/// segment of a segment-parallel render, encoded on its own and joined by stream copy.</summary>
public sealed record TimelineWindow(int Index, long StartFrame, long Frames)
{
    public long EndFrame => StartFrame + Frames;

    public static TimelineWindow Whole(ClipTimeline timeline) => new(0, 0, timeline.TotalFrames);
}
