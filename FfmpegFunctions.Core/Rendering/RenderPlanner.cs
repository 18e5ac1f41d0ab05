using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Turns a validated spec plus probe results into one ffmpeg invocation with one filter graph.
/// Pure: no I/O and no clock, so the same inputs always give the same arguments.
/// </summary>
/// <remarks>
/// Paths only ever appear as <c>-i</c> arguments and user text only inside escaped filter options,
/// so neither can change the shape of the command.
/// </remarks>
public sealed class RenderPlanner
{
    private const string VideoOut = "vout";
    private const string AudioOut = "aout";

    public RenderPlan Plan(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);

        var output = spec.Output;
        var rate = FrameRate.FromFps(output.Fps);
        var timeline = ClipTimeline.Build(spec.Clips, inputs, rate);
        var withAudio = output.Format != OutputFormat.Gif;

        List<string> arguments = ["-hide_banner", "-y"];
        var graph = new FilterGraph();
        var inputIndex = 0;

        foreach (var clip in timeline.Clips)
        {
            arguments.AddRange(ClipFilters.InputArguments(clip, rate));
            ClipFilters.Video(graph, clip, inputIndex, output, rate, $"v{clip.Index}");
            if (withAudio) ClipFilters.Audio(graph, clip, inputIndex, rate, $"a{clip.Index}");
            inputIndex++;
        }

        var (video, audio) = Join(graph, timeline, withAudio);
        video = Overlays(graph, spec, inputs, timeline, arguments, ref inputIndex, video);
        if (withAudio && spec.Audio is { } music)
            audio = MusicBed(graph, music, inputs, timeline, arguments, inputIndex++, audio);

        if (output.Format == OutputFormat.Gif)
        {
            // Palette from the whole render, in the same graph: no second pass over a temp file.
            graph.Chain(video, [Filter.Of("split", ("outputs", "2"))], "gifa", "gifb");
            graph.Chain("gifa", [Filter.Of("palettegen")], "palette");
            graph.Chain(["gifb", "palette"], [Filter.Of("paletteuse")], VideoOut);
        }
        else
        {
            graph.Chain(video, [Filter.Of("null")], VideoOut);
            graph.Chain(audio, [Filter.Of("anull")], AudioOut);
        }

        arguments.AddRange(["-filter_complex", graph.ToString(), "-map", $"[{VideoOut}]"]);
        if (withAudio) arguments.AddRange(["-map", $"[{AudioOut}]"]);
        arguments.AddRange(OutputArguments.For(output));
        // -t caps the output at the planned length in case a source runs on (e.g. a looping input).
        arguments.AddRange(["-r", rate.ToString(), "-t", Invariant.Seconds(timeline.Duration), outputPath]);

        return new RenderPlan(arguments, timeline.Duration, outputPath, output, Thumbnail(spec.Thumbnail, output, timeline))
        {
            ClipStarts = timeline.ClipStarts,
        };
    }

    /// <summary>
    /// Folds clips left to right: xfade/acrossfade where the previous clip has a transition
    /// (offset = frames so far minus the transition, on the joined stream's own clock), concat otherwise.
    /// </summary>
    private static (string Video, string Audio) Join(FilterGraph graph, ClipTimeline timeline, bool withAudio)
    {
        string video = "v0", audio = "a0";
        for (var i = 1; i < timeline.Clips.Count; i++)
        {
            var previous = timeline.Clips[i - 1];
            var current = timeline.Clips[i];
            string joinedVideo = $"jv{i}", joinedAudio = $"ja{i}";
            if (previous.TransitionFrames > 0)
            {
                var duration = Invariant.Seconds(timeline.Seconds(previous.TransitionFrames));
                graph.Chain([video, $"v{i}"], [Filter.Of("xfade",
                    ("transition", previous.Spec.Transition!.Type),
                    ("duration", duration),
                    ("offset", Invariant.Seconds(timeline.Seconds(current.StartFrame))))], joinedVideo);
                if (withAudio) graph.Chain([audio, $"a{i}"], [Filter.Of("acrossfade", ("d", duration))], joinedAudio);
            }
            else if (withAudio)
            {
                graph.Chain([video, audio, $"v{i}", $"a{i}"], [Filter.Of("concat", ("n", "2"), ("v", "1"), ("a", "1"))], joinedVideo, joinedAudio);
            }
            else
            {
                graph.Chain([video, $"v{i}"], [Filter.Of("concat", ("n", "2"), ("v", "1"), ("a", "0"))], joinedVideo);
            }
            video = joinedVideo;
            audio = joinedAudio;
        }
        return (video, audio);
    }

    private static string Overlays(
        FilterGraph graph, CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs,
        ClipTimeline timeline, List<string> arguments, ref int inputIndex, string video)
    {
        for (var i = 0; i < spec.Overlays.Count; i++)
        {
            var overlay = spec.Overlays[i];
            if (overlay.End is { } overlayEnd) timeline.CheckWithin(overlayEnd, $"/overlays/{i}/end", "overlay's end");
            var window = Window(overlay, i, timeline.Duration);
            var label = $"ov{i}";
            switch (overlay)
            {
                case ImageOverlaySpec image:
                    if (!inputs.TryGetValue(image.Source, out var input))
                        throw new RenderPlanException($"/overlays/{i}/source", $"No downloaded input for source '{image.Source}'.");
                    if (!input.Media.HasVideo && !input.Media.IsStillImage)
                        throw new RenderPlanException($"/overlays/{i}/source", $"Source '{image.Source}' is not an image.");
                    arguments.AddRange(["-i", input.Path]);
                    OverlayFilters.Image(graph, image, inputIndex++, spec.Output, window, video, label);
                    break;
                case TextOverlaySpec text:
                    graph.Chain(video, [OverlayFilters.Text(text, window)], label);
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
        if (!inputs.TryGetValue(music.Source, out var input))
            throw new RenderPlanException("/audio/source", $"No downloaded input for source '{music.Source}'.");
        if (!input.Media.HasAudio)
            throw new RenderPlanException("/audio/source", $"Source '{music.Source}' has no audio stream.");

        if (music.Loop) arguments.AddRange(["-stream_loop", "-1"]);
        arguments.AddRange(["-i", input.Path]);

        var total = timeline.Duration;
        List<Filter> filters =
        [
            Filter.Of("asetpts", ("expr", "PTS-STARTPTS")),
            Filter.Of("aresample", ("osr", Invariant.Number(ClipFilters.SampleRate))),
            Filter.Of("aformat", ("sample_fmts", "fltp"), ("channel_layouts", "stereo")),
        ];
        if (music.Volume != 1) filters.Add(Filter.Of("volume", ("volume", Invariant.Number(music.Volume))));
        // Music shorter than the video (or a loop that fails) ends in silence rather than cutting the mix short.
        filters.Add(Filter.Of("apad"));
        filters.Add(Filter.Of("atrim", ("duration", Invariant.Seconds(total))));
        if (music.FadeIn > 0)
            filters.Add(Filter.Of("afade", ("t", "in"), ("st", "0"), ("d", Invariant.Seconds(Math.Min(music.FadeIn, total)))));
        if (music.FadeOut > 0)
        {
            var fadeOut = Math.Min(music.FadeOut, total);
            filters.Add(Filter.Of("afade", ("t", "out"), ("st", Invariant.Seconds(total - fadeOut)), ("d", Invariant.Seconds(fadeOut))));
        }
        graph.Chain($"{inputIndex}:a:0", filters, "music");

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
