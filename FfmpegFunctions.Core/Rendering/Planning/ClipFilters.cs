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
    public static IEnumerable<string> InputArguments(TimelineClip clip, FrameRate rate)
    {
        var seconds = Invariant.Seconds(rate.ToSeconds(clip.Frames));
        if (clip.Input.Media.IsStillImage)
            return ["-loop", "1", "-framerate", rate.ToString(), "-t", seconds, "-i", clip.Input.Path];
        // At another speed the clip reads (its output length x speed) of source.
        if (clip.Spec.Speed != 1) seconds = Invariant.Seconds(rate.ToSeconds(clip.Frames) * clip.Spec.Speed);
        return clip.TrimStart > 0
            ? ["-ss", Invariant.Seconds(clip.TrimStart), "-t", seconds, "-i", clip.Input.Path]
            : ["-t", seconds, "-i", clip.Input.Path];
    }

    /// <param name="range">The clip's own frames to keep, [start, end); a segment cut keeps only part of a clip.</param>
    public static void Video(FilterGraph graph, TimelineClip clip, int inputIndex, OutputSpec output, FrameRate rate, (long Start, long End) range, string label)
    {
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
