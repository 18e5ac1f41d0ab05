using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Spec v2 sound, in the audio pass: audio tracks placed on the timeline (adelay), music (the bed and music
/// tracks) ducked under voice tracks, everything mixed with the clips' sound. Ducking is a gain envelope keyed on
/// where the voice tracks play (see docs/decisions.md "Ducking"): depth, attack and release are then exact.
/// </summary>
internal static class AudioTracks
{
    public static string Mix(
        FilterGraph graph, CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, double total, double slack,
        List<string> arguments, ref int inputIndex, string clipAudio)
    {
        var placed = spec.AudioTracks.Select((t, i) => Place(t, i, inputs, total, slack)).ToList();
        var voice = placed.Where(p => p.Track.Role == AudioRole.Voice).Select(p => (p.Start, p.End)).ToList();
        var duck = spec.Ducking.Depth > 0 && voice.Count > 0 ? DuckGain(spec.Ducking, voice) : null;

        var mix = new List<string>();
        var clips = clipAudio;
        if (spec.Audio is { } music)
        {
            if (music.ClipAudio != 1)
            {
                graph.Chain(clipAudio, [Filter.Of("volume", ("volume", Invariant.Number(music.ClipAudio)))], "clipbed");
                clips = "clipbed";
            }
            mix.Add(clips);
            var bedInput = inputIndex++;
            mix.Add(MusicStream(graph, music, inputs, total, arguments, bedInput, duck, "music"));
        }
        else
        {
            mix.Add(clips);
        }

        foreach (var (track, index, input, trimStart, start, end) in placed)
        {
            if (track.Loop) arguments.AddRange(["-stream_loop", "-1"]);
            if (trimStart > 0) arguments.AddRange(["-ss", Invariant.Seconds(trimStart)]);
            arguments.AddRange(["-t", Invariant.Seconds(end - start), "-i", input.Path]);
            var length = end - start;
            List<Filter> filters =
            [
                Filter.Of("asetpts", ("expr", "PTS-STARTPTS")),
                Filter.Of("aresample", ("osr", Invariant.Number(ClipFilters.SampleRate))),
                Filter.Of("aformat", ("sample_fmts", "fltp"), ("channel_layouts", "stereo")),
            ];
            if (track.Volume != 1) filters.Add(Filter.Of("volume", ("volume", Invariant.Number(track.Volume))));
            filters.AddRange(ClipMotion.AudioFades(track.FadeIn, track.FadeOut, length));
            // On the output clock from its start; then silence to the end, so every mix input is as long as the video.
            var delay = (long)Math.Round(start * 1000);
            if (delay > 0) filters.Add(Filter.Of("adelay", ("delays", Invariant.Number(delay)), ("all", "1")));
            filters.Add(Filter.Of("apad"));
            filters.Add(Filter.Of("atrim", ("duration", Invariant.Seconds(total))));
            if (track.Role == AudioRole.Music && duck is not null) filters.Add(duck);
            var label = $"at{index}";
            graph.Chain($"{inputIndex++}:a:0", filters, label);
            mix.Add(label);
        }

        // normalize=0: each input keeps its own level whatever the number of inputs.
        graph.Chain(mix, [Filter.Of("amix", ("inputs", Invariant.Number(mix.Count)), ("duration", "first"), ("normalize", "0"))], "tracks");
        return "tracks";
    }

    /// <summary>The music bed as v1 builds it, optionally ducked.</summary>
    public static string MusicStream(
        FilterGraph graph, AudioSpec music, IReadOnlyDictionary<string, LocalInput> inputs, double total,
        List<string> arguments, int inputIndex, Filter? duck, string label)
    {
        if (!inputs.TryGetValue(music.Source, out var input))
            throw new RenderPlanException("/audio/source", $"No downloaded input for source '{music.Source}'.");
        if (!input.Media.HasAudio)
            throw new RenderPlanException("/audio/source", $"Source '{music.Source}' has no audio stream.");

        if (music.Loop) arguments.AddRange(["-stream_loop", "-1"]);
        arguments.AddRange(["-i", input.Path]);
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
        if (duck is not null) filters.Add(duck);
        graph.Chain($"{inputIndex}:a:0", filters, label);
        return label;
    }

    /// <summary>
    /// volume with a per-frame expression: full level away from voice, down by depth dB while a voice plays,
    /// ramping down over attack before it and back up over release after it.
    /// </summary>
    public static Filter DuckGain(DuckingSpec ducking, IReadOnlyList<(double Start, double End)> voice)
    {
        var floor = Math.Pow(10, -ducking.Depth / 20);
        var attack = Math.Max(ducking.Attack, 0.001);
        var release = Math.Max(ducking.Release, 0.001);
        var windows = voice.Select(w =>
            $"clip(min((t-{Invariant.Seconds(w.Start - attack)})/{Invariant.Seconds(attack)},({Invariant.Seconds(w.End + release)}-t)/{Invariant.Seconds(release)}),0,1)").ToList();
        var envelope = windows.Aggregate((a, b) => $"max({a},{b})");
        return Filter.Of("volume", ("volume", $"1-{Invariant.Number(1 - floor)}*{envelope}"), ("eval", "frame"));
    }

    private static (AudioTrackSpec Track, int Index, LocalInput Input, double TrimStart, double Start, double End) Place(
        AudioTrackSpec track, int index, IReadOnlyDictionary<string, LocalInput> inputs, double total, double slack)
    {
        var pointer = $"/audioTracks/{index}";
        if (!inputs.TryGetValue(track.Source, out var input))
            throw new RenderPlanException($"{pointer}/source", $"No downloaded input for source '{track.Source}'.");
        if (!input.Media.HasAudio)
            throw new RenderPlanException($"{pointer}/source", $"Source '{track.Source}' has no audio stream.");
        if (track.Start >= total)
            throw new RenderPlanException($"{pointer}/start", $"The track starts at {Invariant.Seconds(track.Start)} s but the video is only {Invariant.Seconds(total)} s long.");
        double trimStart, length;
        if (track.Loop)
        {
            trimStart = track.Trim?.Start ?? 0;
            if (input.Media.Duration is { } probed && trimStart >= probed)
                throw new RenderPlanException($"{pointer}/trim/start", $"Trim start {Invariant.Seconds(trimStart)} s is at or beyond the end of the source ({Invariant.Seconds(probed)} s).");
            length = track.Duration ?? total - track.Start;
        }
        else
        {
            (trimStart, length) = SourceWindow.Measure(track.Source, track.Trim, track.Duration, input.Media.Duration, pointer, slack);
            if (track.Duration is { } limit) length = Math.Min(length, limit);
        }
        return (track, index, input, trimStart, track.Start, track.Start + Math.Min(length, total - track.Start));
    }
}
