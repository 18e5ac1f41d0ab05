using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Normalises one clip to the output's size, rate, pixel and sample format, and to exactly its
/// planned number of frames and samples, so joins line up without drift.
/// </summary>
internal static class ClipFilters
{
    public const int SampleRate = 48000;

    /// <summary>Input options placed before the clip's <c>-i</c>: seek and length are cut at input level, which is fast and, when transcoding, accurate.</summary>
    /// <param name="seekFrames">Frames of the clip skipped by seeking the input (see <see cref="SeekFrames"/>).</param>
    /// <param name="readFrames">Frames of the clip read from the seek point on; null for the whole rest of the clip.</param>
    public static IEnumerable<string> InputArguments(TimelineClip clip, FrameRate rate, long seekFrames = 0, long? readFrames = null)
    {
        var frames = readFrames ?? clip.Frames - seekFrames;
        var seconds = Invariant.Seconds(rate.ToSeconds(frames));
        if (clip.Input.Media.IsStillImage)
            return ["-loop", "1", "-framerate", rate.ToString(), "-t", seconds, "-i", clip.Input.Path];
        // At another speed the clip reads (its output length x speed) of source.
        if (clip.Spec.Speed != 1) seconds = Invariant.Seconds(rate.ToSeconds(frames) * clip.Spec.Speed);
        var start = clip.TrimStart + rate.ToSeconds(seekFrames) * clip.Spec.Speed;
        return start > 0
            ? ["-ss", Invariant.Seconds(start), "-t", seconds, "-i", clip.Input.Path]
            : ["-t", seconds, "-i", clip.Input.Path];
    }

    /// <summary>
    /// How many of a clip's first <paramref name="skip"/> frames a segment can skip at input level instead of making
    /// and dropping them: all of a still image's (every frame is the same picture), unless its Ken Burns or fades are
    /// timed on the whole clip. A video clip is never seeked into: its timestamps start at its first decoded frame
    /// (setpts PTS-STARTPTS), so a later starting point can shift which source frame the fps filter picks, and a
    /// segment must show exactly the frames of a single pass. <see cref="SegmentWindows"/> prefers cuts between clips,
    /// which need no seeking at all.
    /// </summary>
    public static long SeekFrames(TimelineClip clip, long skip)
    {
        if (skip <= 0 || !clip.Input.Media.IsStillImage || clip.Spec.Motion is not null || clip.Spec.FadeIn > 0 || clip.Spec.FadeOut > 0) return 0;
        return skip;
    }

    /// <param name="range">The clip's own frames to keep, [start, end); a segment cut keeps only part of a clip.</param>
    /// <param name="seekFrames">Frames already skipped at input level (<see cref="InputArguments"/>); range is still on the whole clip.</param>
    public static void Video(FilterGraph graph, TimelineClip clip, int inputIndex, OutputSpec output, FrameRate rate, (long Start, long End) range, string label, long seekFrames = 0)
    {
        range = (range.Start - seekFrames, range.End - seekFrames);
        var source = $"{inputIndex}:v:0";
        var head = new List<Filter> { ClipMotion.Timestamps(clip.Spec.Speed), Filter.Of("fps", ("fps", rate.ToString())) };
        var tail = new List<Filter>();
        if (clip.Spec.Motion is { } motion) tail.Add(ClipMotion.KenBurns(motion, clip.Frames, output, rate));
        tail.AddRange(
        [
            Filter.Of("setsar", ("r", "1")),
            Filter.Of("format", ("pix_fmts", "yuv420p")),
            // Sources whose video ends before the probed duration are held on their last frame,
            // then every clip is cut to exactly its planned frames.
            Filter.Of("tpad", ("stop_mode", "clone"), ("stop", "-1")),
        ]);
        var fades = ClipMotion.VideoFades(clip.Spec.FadeIn, clip.Spec.FadeOut, rate.ToSeconds(clip.Frames)).ToList();
        if (fades.Count > 0)
        {
            // Fades are timed on the whole clip, so they go on before a segment cut keeps only part of it.
            tail.Add(Filter.Of("trim", ("end_frame", Invariant.Number(clip.Frames))));
            tail.AddRange(fades);
        }
        if (range.Start > 0)
        {
            // Cut by frame number after fps, so the frames are exactly those of the unsplit render.
            tail.Add(Filter.Of("trim", ("start_frame", Invariant.Number(range.Start)), ("end_frame", Invariant.Number(range.End))));
            tail.Add(Filter.Of("setpts", ("expr", "PTS-STARTPTS")));
        }
        else if (fades.Count == 0 || range.End < clip.Frames)
        {
            tail.Add(Filter.Of("trim", ("end_frame", Invariant.Number(range.End))));
        }
        // concat outputs the 1 µs time base and xfade insists on equal time bases, so every clip uses it.
        tail.Add(Filter.Of("settb", ("expr", "AVTB")));

        int w = output.Width, h = output.Height;
        switch (clip.Spec.Fit)
        {
            case Fit.Cover:
                graph.Chain(source, [.. head, .. Cover(w, h), .. tail], label);
                break;
            case Fit.Blur:
                // Cover-scaled blurred copy of the clip behind the contained clip.
                string bg = label + "bg", fg = label + "fg", blurred = label + "bb", contained = label + "fc";
                graph.Chain(source, [.. head, Filter.Of("split", ("outputs", "2"))], bg, fg);
                graph.Chain(bg, [.. Cover(w, h), Filter.Of("gblur", ("sigma", "20"))], blurred);
                graph.Chain(fg, [ContainScale(w, h)], contained);
                graph.Chain([blurred, contained], [Filter.Of("overlay", ("x", "(W-w)/2"), ("y", "(H-h)/2")), .. tail], label);
                break;
            default:
                graph.Chain(source, [.. head, ContainScale(w, h), Filter.Of("pad", ("w", Invariant.Number(w)), ("h", Invariant.Number(h)), ("x", "(ow-iw)/2"), ("y", "(oh-ih)/2"), ("color", "black")), .. tail], label);
                break;
        }
    }

    /// <summary>False when the clip contributes silence, so its file need not be opened for audio.</summary>
    public static bool HasSound(TimelineClip clip) => !clip.Spec.Mute && clip.Input.Media.HasAudio && clip.Spec.Volume != 0;

    /// <summary>The clip's own sound (or silence) as 48 kHz stereo float, exactly as long as its video.</summary>
    public static void Audio(FilterGraph graph, TimelineClip clip, int inputIndex, FrameRate rate, string label)
    {
        var length = Filter.Of("atrim", ("duration", Invariant.Seconds(rate.ToSeconds(clip.Frames))));
        var format = Filter.Of("aformat", ("sample_fmts", "fltp"), ("channel_layouts", "stereo"));
        if (!HasSound(clip))
        {
            graph.Chain([], [Filter.Of("anullsrc", ("r", Invariant.Number(SampleRate)), ("cl", "stereo")), format, length], label);
            return;
        }

        List<Filter> filters =
        [
            Filter.Of("asetpts", ("expr", "PTS-STARTPTS")),
            Filter.Of("aresample", ("osr", Invariant.Number(SampleRate))),
            format,
        ];
        filters.AddRange(ClipMotion.Tempo(clip.Spec.Speed));
        if (clip.Spec.Volume != 1) filters.Add(Filter.Of("volume", ("volume", Invariant.Number(clip.Spec.Volume))));
        filters.Add(Filter.Of("apad"));
        filters.Add(length);
        filters.AddRange(ClipMotion.AudioFades(clip.Spec.FadeIn, clip.Spec.FadeOut, rate.ToSeconds(clip.Frames)));
        graph.Chain($"{inputIndex}:a:0", filters, label);
    }

    private static Filter ContainScale(int w, int h) => Filter.Of("scale",
        ("w", Invariant.Number(w)), ("h", Invariant.Number(h)),
        ("force_original_aspect_ratio", "decrease"), ("force_divisible_by", "2"));

    private static Filter[] Cover(int w, int h) =>
    [
        Filter.Of("scale", ("w", Invariant.Number(w)), ("h", Invariant.Number(h)), ("force_original_aspect_ratio", "increase")),
        Filter.Of("crop", ("w", Invariant.Number(w)), ("h", Invariant.Number(h))),
    ];
}
