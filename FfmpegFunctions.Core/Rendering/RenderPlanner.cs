using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Turns a validated spec plus probe results into the ffmpeg invocations that render it.
/// Pure: no I/O and no clock, so the same inputs always give the same arguments.
/// </summary>
/// <remarks>
/// <para>Paths only ever appear as <c>-i</c> arguments and user text only inside escaped filter options,
/// so neither can change the shape of the command.</para>
/// <para>Memory shapes the plan (measured with ffmpeg 5.1, see docs/decisions.md "Bounded render memory"): the clip
/// audio, acrossfades and music bed are mixed by a process of their own that runs alongside the video pass and streams
/// raw samples to it through a FIFO, because in one graph decoded video queued behind the audio chain (~400 MB a clip). A GIF's palette is
/// made in a pass of its own, because palettegen in the same graph holds every frame until the end. Long clip lists
/// are rendered by a few clips per process, streamed as raw frames into the one encoder (see <see cref="VideoChunks"/>).</para>
/// </remarks>
public sealed partial class RenderPlanner
{
    private const string VideoOut = "vout";
    private const string AudioOut = "aout";

    /// <summary>Work files, by name relative to the render's working directory (ffmpeg's current directory).</summary>
    public const string AudioWorkFile = "audio-mix";
    public const string PaletteWorkFile = "palette.png";

    // Shares of the progress bar: palettegen takes about 40 % of a GIF's render time, the loudness measurement a few percent.
    private const double PalettePassWeight = 0.4;
    private const double LoudnessPassWeight = 0.03;

    /// <summary>Clips one process decodes before the timeline is split into fed chunks; tests lower it to exercise the split on tiny media.</summary>
    internal int MaxClipsPerProcess { get; init; } = VideoChunks.DefaultMaxClipsPerProcess;

    public RenderPlan Plan(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);

        if (spec.Output.Preview) spec = PreviewSpec.For(spec);
        var output = spec.Output;
        var rate = FrameRate.FromFps(output.Fps);
        var timeline = ClipTimeline.Build(spec.Clips, inputs, rate);
        var chunks = VideoChunks.Split(timeline, MaxClipsPerProcess);
        var thumbnail = Thumbnail(spec.Thumbnail, output, timeline);

        if (output.Format == OutputFormat.Gif)
        {
            // Two passes: palettegen keeps only a histogram when it is the graph's sink; paletteuse then reads the PNG.
            var whole = TimelineWindow.Whole(timeline);
            var palette = VideoPass(spec, inputs, timeline, whole, chunks, [], (graph, video, _) =>
                graph.Chain(video, [Filter.Of("palettegen")], VideoOut),
                ["-frames:v", "1", "-update", "1", "-f", "image2", PaletteWorkFile]);
            var gif = VideoPass(spec, inputs, timeline, whole, chunks, ["-i", PaletteWorkFile], (graph, video, extra) =>
                graph.Chain([video, $"{extra}:v:0"], [Filter.Of("paletteuse")], VideoOut),
                [.. OutputArguments.Video(output), "-r", rate.ToString(), "-t", Invariant.Seconds(timeline.Duration), outputPath]);
            return new RenderPlan(gif.Arguments, timeline.Duration, outputPath, output, thumbnail)
            {
                ClipStarts = timeline.ClipStarts,
                Prepasses = [palette with { Name = "palette", Weight = PalettePassWeight }],
                FinalWeight = 1 - PalettePassWeight,
                FinalFeed = gif.Feed,
            };
        }

        var (measure, audio) = AudioPass(spec, inputs, timeline);
        var video = VideoPass(spec, inputs, timeline, TimelineWindow.Whole(timeline), chunks, [.. OutputArguments.MixFormat, "-i", AudioWorkFile], (graph, video, _) =>
            graph.Chain(video, [Filter.Of("null")], VideoOut),
            // -t caps the output at the planned length in case a source runs on (e.g. a looping input).
            [.. OutputArguments.Audio(output), .. OutputArguments.Video(output), "-r", rate.ToString(), "-t", Invariant.Seconds(timeline.Duration), outputPath],
            mixedAudio: true);
        return new RenderPlan(video.Arguments, timeline.Duration, outputPath, output, thumbnail)
        {
            ClipStarts = timeline.ClipStarts,
            Prepasses = measure is null ? [] : [measure],
            FinalWeight = measure is null ? 1 : 1 - measure.Weight,
            FinalFeed = video.Feed,
            FinalAlongside = [audio],
        };
    }

    /// <summary>
    /// The picture of <paramref name="window"/> (the whole timeline, or one segment of a segment-parallel render):
    /// clips, joins and overlays, then <paramref name="finish"/> (given the joined label and the index of the first of
    /// <paramref name="extraInputs"/>) writes [vout]. Chunked timelines come in as raw frames on stdin.
    /// </summary>
    private static RenderPass VideoPass(
        CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, ClipTimeline timeline, TimelineWindow window, IReadOnlyList<VideoChunk> chunks,
        IReadOnlyList<string> extraInputs, Action<FilterGraph, string, int> finish, IReadOnlyList<string> tail, bool mixedAudio = false)
    {
        var output = spec.Output;
        var windowed = window.Frames != timeline.TotalFrames;
        List<string> arguments = ["-hide_banner", "-y"];
        var graph = new FilterGraph();
        var inputIndex = 0;
        string video;
        List<RenderPass> feed = [];
        if (chunks.Count == 1)
        {
            video = Chunk(graph, timeline, chunks[0], output, arguments, ref inputIndex, windowed);
        }
        else
        {
            foreach (var chunk in chunks) feed.Add(ChunkPass(timeline, chunk, output, windowed));
            arguments.AddRange(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", $"{Invariant.Number(output.Width)}x{Invariant.Number(output.Height)}",
                "-framerate", timeline.Rate.ToString(), "-i", "pipe:0"]);
            video = $"{inputIndex++}:v:0";
        }

        // A window later in the timeline is put on the output clock for what is stacked on it, so layers, overlays and
        // captions keep their own times (and show exactly what a single pass shows), then back to zero for its encode.
        var shift = window.StartFrame > 0 ? timeline.Seconds(window.StartFrame) : 0;
        if (shift > 0)
        {
            graph.Chain(video, [Filter.Of("setpts", ("expr", $"PTS+{Invariant.Seconds(shift)}/TB"))], "outclock");
            video = "outclock";
        }
        var seconds = (From: shift, To: timeline.Seconds(window.EndFrame));

        // Stacking order, bottom up: main track, layers, overlays, captions.
        if (spec.Layers.Count > 0)
            video = LayerFilters.Apply(graph, spec.Layers, inputs, output, timeline.Rate, timeline.Duration, arguments, ref inputIndex, video, windowed ? seconds : null);
        video = Overlays(graph, spec, inputs, timeline, arguments, ref inputIndex, video, windowed ? seconds : null);
        if (spec.Captions is { } captions) video = CaptionFilters.Apply(graph, captions, inputs, video);
        if (shift > 0)
        {
            graph.Chain(video, [Filter.Of("setpts", ("expr", "PTS-STARTPTS"))], "segclock");
            video = "segclock";
        }
        var extra = inputIndex;
        arguments.AddRange(extraInputs);
        finish(graph, video, extra);
        arguments.AddRange(["-filter_complex", graph.ToString(), "-map", $"[{VideoOut}]"]);
        if (mixedAudio) arguments.AddRange(["-map", $"{extra}:a:0"]);
        arguments.AddRange(tail);
        return new RenderPass("render", arguments, 1) { Feed = feed };
    }

    /// <summary>One chunk's clips and joins as one process writing raw yuv420p frames to stdout.</summary>
    private static RenderPass ChunkPass(ClipTimeline timeline, VideoChunk chunk, OutputSpec output, bool windowed)
    {
        List<string> arguments = ["-hide_banner"];
        var graph = new FilterGraph();
        var inputIndex = 0;
        var video = Chunk(graph, timeline, chunk, output, arguments, ref inputIndex, windowed);
        graph.Chain(video, [Filter.Of("null")], VideoOut);
        arguments.AddRange(["-filter_complex", graph.ToString(), "-map", $"[{VideoOut}]",
            // Every frame of the graph exactly once: the encoder numbers raw frames by arrival.
            "-frames:v", Invariant.Number(chunk.Frames), "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]);
        return new RenderPass($"chunk {chunk.FirstClip}-{chunk.LastClip}", arguments, 0);
    }

    /// <summary>
    /// Folds a chunk's clips left to right: xfade where the previous clip has a transition (offset = the next
    /// clip's start on the chunk's own clock), concat otherwise. Returns the joined label.
    /// </summary>
    /// <param name="windowed">Part of a segment-parallel render: a clip cut into is seeked into and read only as far as
    /// needed, instead of decoded from its start (which a single pass, or the memory split of one, never needs).</param>
    private static string Chunk(FilterGraph graph, ClipTimeline timeline, VideoChunk chunk, OutputSpec output, List<string> arguments, ref int inputIndex, bool windowed = false)
    {
        var rate = timeline.Rate;
        for (var i = chunk.FirstClip; i <= chunk.LastClip; i++)
        {
            var clip = timeline.Clips[i];
            var range = chunk.Range(clip);
            var seek = windowed && i == chunk.FirstClip ? ClipFilters.SeekFrames(clip, range.Start) : 0;
            // The fps filter may round to a frame just past the range's end: read a second more than needed.
            long? read = windowed && range.End + rate.ToFrames(1) < clip.Frames ? range.End + rate.ToFrames(1) - seek : null;
            arguments.AddRange(ClipFilters.InputArguments(clip, rate, seek, read));
            ClipFilters.Video(graph, clip, inputIndex++, output, rate, range, $"v{i}", seek);
        }
        var video = $"v{chunk.FirstClip}";
        for (var i = chunk.FirstClip + 1; i <= chunk.LastClip; i++)
        {
            var previous = timeline.Clips[i - 1];
            var joined = $"jv{i}";
            if (previous.TransitionFrames > 0)
            {
                graph.Chain([video, $"v{i}"], [Filter.Of("xfade",
                    ("transition", previous.Spec.Transition!.Type),
                    ("duration", Invariant.Seconds(timeline.Seconds(previous.TransitionFrames))),
                    ("offset", Invariant.Seconds(timeline.Seconds(timeline.Clips[i].StartFrame - chunk.StartFrame))))], joined);
            }
            else
            {
                graph.Chain([video, $"v{i}"], [Filter.Of("concat", ("n", "2"), ("v", "1"), ("a", "0"))], joined);
            }
            video = joined;
        }
        return video;
    }

    /// <summary>
    /// The sound: every clip's audio (or silence) joined with acrossfade at transitions and concat at cuts, then the
    /// music bed and audio tracks mixed under it, written as raw samples to <see cref="AudioWorkFile"/> (a FIFO the
    /// final pass reads). With a loudness target, a measuring pass runs first and the mix is normalised by what it found.
    /// </summary>
    /// <param name="encodeTo">When set, the mix is encoded to this file in the output's audio codec (the audio of a
    /// segment-parallel render) instead of streamed raw to the video pass.</param>
    private static (RenderPass? Measure, RenderPass Mix) AudioPass(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, ClipTimeline timeline, string? encodeTo = null)
    {
        var rate = timeline.Rate;
        List<string> arguments = ["-hide_banner", "-y"];
        var graph = new FilterGraph();
        var inputIndex = 0;
        foreach (var clip in timeline.Clips)
        {
            if (ClipFilters.HasSound(clip))
            {
                arguments.AddRange(ClipFilters.InputArguments(clip, rate));
                ClipFilters.Audio(graph, clip, inputIndex++, rate, $"a{clip.Index}");
            }
            else
            {
                ClipFilters.Audio(graph, clip, -1, rate, $"a{clip.Index}");
            }
        }

        var audio = "a0";
        for (var i = 1; i < timeline.Clips.Count; i++)
        {
            var previous = timeline.Clips[i - 1];
            var joined = $"ja{i}";
            if (previous.TransitionFrames > 0)
                graph.Chain([audio, $"a{i}"], [Filter.Of("acrossfade", ("d", Invariant.Seconds(timeline.Seconds(previous.TransitionFrames))))], joined);
            else
                graph.Chain([audio, $"a{i}"], [Filter.Of("concat", ("n", "2"), ("v", "0"), ("a", "1"))], joined);
            audio = joined;
        }

        if (spec.AudioTracks.Count > 0) audio = AudioTracks.Mix(graph, spec, inputs, timeline.Duration, ClipTimeline.Slack(timeline.Rate), arguments, ref inputIndex, audio);
        else if (spec.Audio is { } music) audio = MusicBed(graph, music, inputs, timeline, arguments, inputIndex, audio);

        List<string> mixOutput = encodeTo is null
            ? ["-c:a", "pcm_f32le", .. OutputArguments.MixFormat, "-t", Invariant.Seconds(timeline.Duration), AudioWorkFile]
            : ["-vn", .. OutputArguments.Audio(spec.Output), "-t", Invariant.Seconds(timeline.Duration), .. OutputArguments.Container(spec.Output), encodeTo];
        if (spec.Output.Loudness is not { } loudness)
        {
            graph.Chain(audio, [Filter.Of("anull")], AudioOut);
            arguments.AddRange(["-filter_complex", graph.ToString(), "-map", $"[{AudioOut}]"]);
            arguments.AddRange(mixOutput);
            return (null, new RenderPass("audio", arguments, 0));
        }

        // Two-pass EBU R128: the first pass measures the finished mix, the second applies one linear gain (with a
        // true-peak limit) computed from that measurement, so the whole mix lands on the target.
        var mixGraph = graph.ToString();
        List<string> measure = [.. arguments, "-filter_complex", $"{mixGraph};[{audio}]{Loudness.Measure(loudness)}[{AudioOut}]",
            "-map", $"[{AudioOut}]", "-loglevel", "info", "-f", "null", "-"];
        var apply = arguments.ToList();
        return (new RenderPass("loudness", measure, LoudnessPassWeight), new RenderPass("audio", [], 0)
        {
            // Built when the measurement is in: loudnorm prints it as JSON at the end of its stderr.
            Resolve = measured =>
            [
                .. apply, "-filter_complex", $"{mixGraph};[{audio}]{Loudness.Apply(loudness, Loudness.Parse(measured))}[{AudioOut}]",
                "-map", $"[{AudioOut}]", .. mixOutput,
            ],
        });
    }

    private static string Overlays(
        FilterGraph graph, CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs,
        ClipTimeline timeline, List<string> arguments, ref int inputIndex, string video, (double From, double To)? segment = null)
    {
        for (var i = 0; i < spec.Overlays.Count; i++)
        {
            var overlay = spec.Overlays[i];
            if (overlay.End is { } overlayEnd) timeline.CheckWithin(overlayEnd, $"/overlays/{i}/end", "overlay's end");
            var window = Window(overlay, i, timeline.Duration);
            var span = (overlay.Start, Math.Min(overlay.End ?? timeline.Duration, timeline.Duration));
            // Drawn on the output clock, so an overlay across a segment cut is simply drawn in both; one outside is left out.
            if (segment is { } s && (span.Item2 <= s.From || span.Item1 >= s.To)) continue;
            var label = $"ov{i}";
            switch (overlay)
            {
                case ImageOverlaySpec image:
                    if (!inputs.TryGetValue(image.Source, out var input))
                        throw new RenderPlanException($"/overlays/{i}/source", $"No downloaded input for source '{image.Source}'.");
                    if (!input.Media.HasVideo && !input.Media.IsStillImage)
                        throw new RenderPlanException($"/overlays/{i}/source", $"Source '{image.Source}' is not an image.");
                    if (OverlayFilters.FadesImage(image))
                        arguments.AddRange(["-loop", "1", "-framerate", timeline.Rate.ToString(), "-t", Invariant.Seconds(span.Item2), "-i", input.Path]);
                    else
                        arguments.AddRange(["-i", input.Path]);
                    OverlayFilters.Image(graph, image, inputIndex++, spec.Output, window, span, video, label);
                    break;
                case TextOverlaySpec text:
                    graph.Chain(video, [OverlayFilters.Text(text, window, span)], label);
                    break;
                default:
                    throw new RenderPlanException($"/overlays/{i}", $"Unsupported overlay type {overlay.GetType().Name}.");
            }
            video = label;
        }
        return video;
    }

    /// <summary>The overlay's time window, or null when it covers the whole output (no enable expression needed).</summary>
    private static (double Start, double End)? Window(OverlaySpec overlay, int index, double total)
    {
        if (overlay.Start >= total)
            throw new RenderPlanException($"/overlays/{index}/start",
                $"The overlay starts at {Invariant.Seconds(overlay.Start)} s but the video is only {Invariant.Seconds(total)} s long.");
        var end = Math.Min(overlay.End ?? total, total);
        if (end <= overlay.Start)
            throw new RenderPlanException($"/overlays/{index}/end", "The overlay ends before it starts.");
        return overlay.Start <= 0 && end >= total ? null : (overlay.Start, end);
    }

    private static string MusicBed(
        FilterGraph graph, AudioSpec music, IReadOnlyDictionary<string, LocalInput> inputs,
        ClipTimeline timeline, List<string> arguments, int inputIndex, string clipAudio)
    {
        AudioTracks.MusicStream(graph, music, inputs, timeline.Duration, arguments, inputIndex, duck: null, "music");
        var clips = clipAudio;
        if (music.ClipAudio != 1)
        {
            graph.Chain(clipAudio, [Filter.Of("volume", ("volume", Invariant.Number(music.ClipAudio)))], "clipbed");
            clips = "clipbed";
        }
        // normalize=0: amix would otherwise halve both inputs, making levels depend on the input count.
        graph.Chain([clips, "music"], [Filter.Of("amix", ("inputs", "2"), ("duration", "first"), ("normalize", "0"))], "mixed");
        return "mixed";
    }

    /// <summary>An explicit time past the end fails; the default is min(1 s, half the video), so it always fits.
    /// Clamped to the last frame so the grab never lands past the end; width even for yuv420p.</summary>
    private static ThumbnailPlan Thumbnail(ThumbnailSpec thumbnail, OutputSpec output, ClipTimeline timeline)
    {
        if (thumbnail.Time is { } explicitTime && explicitTime >= timeline.Duration + ClipTimeline.Slack(timeline.Rate))
            throw new RenderPlanException("/thumbnail/time",
                $"The thumbnail at {Invariant.Seconds(explicitTime)} s is beyond the end of the video, which is {Invariant.Seconds(timeline.Duration)} s long.");
        var last = timeline.Seconds(timeline.TotalFrames - 1);
        var time = Math.Clamp(thumbnail.Time ?? ThumbnailSpec.DefaultTime(timeline.Duration), 0, last);
        var width = thumbnail.Width ?? Math.Min(output.Width, 640);
        width = Math.Max(2, width - (width % 2));
        return new ThumbnailPlan(time, width);
    }
}
