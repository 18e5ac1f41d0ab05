using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Segment-parallel rendering: the timeline is cut into windows (<see cref="SegmentWindows"/>), each window is an
/// independent video-only encode with the final settings, the audio is mixed and encoded once for the whole
/// timeline, and the join is a stream copy of the segments (concat demuxer) muxed with the audio: nothing is
/// encoded twice. Each segment starts with a keyframe of its own (x264 and libvpx open every encode with one and
/// x264's GOPs are closed by default), which is what makes a stream-copy join seamless.
/// </summary>
public sealed partial class RenderPlanner
{
    /// <summary>The concat demuxer's list of segment files, written into the join's working directory.</summary>
    public const string JoinListFile = "segments.txt";

    /// <summary>The windows a render is split into; one (the whole timeline) when it is not worth splitting.</summary>
    /// <param name="segmentSeconds">Render:SegmentSeconds; 0 or less never splits.</param>
    public IReadOnlyList<TimelineWindow> Windows(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, double segmentSeconds)
    {
        var timeline = Timeline(ref spec, inputs);
        // A GIF's palette is made from the whole timeline, so its parts could not be joined without a second encode.
        // A preview is a fast draft from proxies in one pass: a 3-hour one still ends in minutes.
        if (segmentSeconds <= 0 || spec.Output.Format == OutputFormat.Gif || spec.Output.Preview) return [TimelineWindow.Whole(timeline)];
        return SegmentWindows.Split(timeline, segmentSeconds);
    }

    /// <summary>One window's picture, layers, overlays and captions included, as a video-only file of exactly its frames.</summary>
    public RenderPlan PlanSegment(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, TimelineWindow window, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var timeline = Timeline(ref spec, inputs);
        if (window.StartFrame < 0 || window.Frames < 1 || window.EndFrame > timeline.TotalFrames)
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The timeline has {timeline.TotalFrames} frames.");
        var output = spec.Output;
        var chunks = VideoChunks.Split(timeline, window, MaxClipsPerProcess);
        var video = VideoPass(spec, inputs, timeline, window, chunks, [], (graph, joined, _) =>
            graph.Chain(joined, [Filter.Of("null")], VideoOut),
            ["-an", .. OutputArguments.Video(output), "-r", timeline.Rate.ToString(), "-frames:v", Invariant.Number(window.Frames), outputPath]);
        return new RenderPlan(video.Arguments, timeline.Seconds(window.Frames), outputPath, output, Thumbnail(spec.Thumbnail, output, timeline))
        {
            ClipStarts = timeline.ClipStarts,
            FinalFeed = video.Feed,
            TakeThumbnail = false,
        };
    }

    /// <summary>The whole timeline's sound, mixed (and normalised, with a loudness target) and encoded once.</summary>
    public RenderPlan PlanAudio(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var timeline = Timeline(ref spec, inputs);
        var (measure, mix) = AudioPass(spec, inputs, timeline, encodeTo: outputPath);
        return new RenderPlan(mix.Arguments, timeline.Duration, outputPath, spec.Output, Thumbnail(spec.Thumbnail, spec.Output, timeline))
        {
            ClipStarts = timeline.ClipStarts,
            Prepasses = measure is null ? [] : [measure],
            FinalWeight = measure is null ? 1 : 1 - measure.Weight,
            FinalResolve = mix.Resolve,
            TakeThumbnail = false,
        };
    }

    /// <summary>The segments joined by stream copy, in order, muxed with the audio; then the thumbnail, as for a single pass.</summary>
    public RenderPlan PlanJoin(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, IReadOnlyList<string> segmentPaths, string audioPath, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(segmentPaths);
        ArgumentException.ThrowIfNullOrEmpty(audioPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (segmentPaths.Count == 0) throw new ArgumentException("A join needs at least one segment.", nameof(segmentPaths));
        var timeline = Timeline(ref spec, inputs);
        // Paths are ours (hashed names under the work directory); quotes are escaped the concat demuxer's way anyway.
        var list = string.Concat(segmentPaths.Select(p => $"file '{p.Replace("'", @"'\''", StringComparison.Ordinal)}'\n"));
        List<string> arguments =
        [
            "-hide_banner", "-y",
            "-f", "concat", "-safe", "0", "-i", JoinListFile,
            "-i", audioPath,
            "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
            .. OutputArguments.Container(spec.Output), outputPath,
        ];
        return new RenderPlan(arguments, timeline.Duration, outputPath, spec.Output, Thumbnail(spec.Thumbnail, spec.Output, timeline))
        {
            ClipStarts = timeline.ClipStarts,
            WorkFiles = new Dictionary<string, string> { [JoinListFile] = list },
        };
    }

    /// <summary>The timeline every part plans against: the draft's, for a preview.</summary>
    private static ClipTimeline Timeline(ref CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        if (spec.Output.Preview) spec = PreviewSpec.For(spec);
        return ClipTimeline.Build(spec.Clips, inputs, FrameRate.FromFps(spec.Output.Fps));
    }
}
