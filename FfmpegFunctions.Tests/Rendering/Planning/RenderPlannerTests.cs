using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using static FfmpegFunctions.Tests.Rendering.Planning.PlannerSpecs;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Planner behaviour that needs no ffmpeg: timeline maths, probe-time errors, argument shape.</summary>
public sealed class RenderPlannerTests
{
    private static readonly Dictionary<string, LocalInput> Inputs = new()
    {
        ["a"] = Video("/in/a.mp4", 4),
        ["b"] = Video("/in/b.mp4", 3, audio: false),
        ["c"] = Video("/in/c.mp4", 2),
        ["img"] = Still("/in/img.png"),
        ["logo"] = Still("/in/logo.png"),
        ["music"] = Music("/in/music.m4a", 1),
    };

    private readonly RenderPlanner _planner = new();

    [Fact]
    public void TransitionsOverlapClipsSoTheTotalIsLengthsMinusTransitions()
    {
        var spec = Spec(
            Clip("a", start: 1, end: 3, transition: Fade(0.5)),   // 2 s
            Clip("b", duration: 1.5),                               // 1.5 s, cut
            Clip("img", duration: 1, transition: Fade(0.2)),       // 1 s
            Clip("c"));                                             // 2 s

        var plan = _planner.Plan(spec, Inputs, "/out/x.mp4");

        Assert.Equal(2 + 1.5 + 1 + 2 - 0.5 - 0.2, plan.Duration, 9);
        Assert.Equal([0, 1.5, 3, 3.8], plan.ClipStarts.Select(s => Math.Round(s, 9)));
        var graph = FilterComplex(plan);
        Assert.Contains("xfade=transition=fade:duration=0.5:offset=1.5", graph, StringComparison.Ordinal);
        Assert.Contains("xfade=transition=fade:duration=0.2:offset=3.8", graph, StringComparison.Ordinal);
        Assert.Contains("concat=n=2:v=1:a=0", graph, StringComparison.Ordinal);
        var audio = FilterComplex(AudioPass(plan));
        Assert.Contains("acrossfade=d=0.5", audio, StringComparison.Ordinal);
        Assert.Contains("acrossfade=d=0.2", audio, StringComparison.Ordinal);
        Assert.Contains("concat=n=2:v=0:a=1", audio, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAudioMixIsItsOwnProcessAndTheVideoPassOnlyEncodesItsSamples()
    {
        var spec = Spec(Clip("a", transition: Fade(0.5)), Clip("b"), Clip("c", transition: Fade(0.3)), Clip("a")) with
        {
            Audio = new AudioSpec { Source = "music", Loop = true, FadeIn = 0.5, ClipAudio = 0.5 },
        };

        var plan = _planner.Plan(spec, Inputs, "/out/x.mp4");

        var audio = AudioPass(plan);
        Assert.Equal(["render"], plan.Passes.Select(p => p.Name));
        Assert.Equal(["-c:a", "pcm_f32le", "-f", "f32le", "-ar", "48000", "-ac", "2", "-t", Invariant(plan.Duration), RenderPlanner.AudioWorkFile], audio.Arguments.TakeLast(11));
        Assert.Contains("amix=inputs=2:duration=first:normalize=0", FilterComplex(audio), StringComparison.Ordinal);
        // Clip b has no audio track: it is silence in the mix and never opened by the audio pass.
        Assert.DoesNotContain("/in/b.mp4", audio.Arguments);
        Assert.Contains("/in/music.m4a", audio.Arguments);

        var video = FilterComplex(plan);
        foreach (var audioFilter in (string[])["acrossfade", "amix", "anullsrc", "aresample", "atrim", "afade", ":a:0"])
            Assert.DoesNotContain(audioFilter, video, StringComparison.Ordinal);
        Assert.DoesNotContain("/in/music.m4a", plan.Arguments);
        var mixInput = plan.Arguments.Count(a => a == "-i") - 1;
        Assert.Equal(["-f", "f32le", "-ar", "48000", "-ac", "2", "-i", RenderPlanner.AudioWorkFile], plan.Arguments.Skip(IndexOf(plan.Arguments, "-filter_complex") - 8).Take(8));
        Assert.Equal(["-map", "[vout]", "-map", $"{mixInput}:a:0", "-c:a", "aac"], plan.Arguments.Skip(IndexOf(plan.Arguments, "-filter_complex") + 2).Take(6));
        Assert.Equal("-t", plan.Arguments[^3]);
    }

    private static string Invariant(double seconds) => seconds.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void LongClipListsAreRenderedAFewClipsPerProcessAndStreamedIntoOneEncoder()
    {
        var clips = Enumerable.Range(0, 11).Select(i => Clip(i % 2 == 0 ? "a" : "c", end: 2, transition: i < 10 && i != 5 ? Fade(0.5, "wipeleft") : null)).ToArray();

        var plan = _planner.Plan(Spec(clips), Inputs, "/out/x.mp4");

        var feed = plan.Passes[^1].Feed;
        Assert.Equal(3, feed.Count);
        Assert.All(feed, p => Assert.InRange(p.Arguments.Count(a => a == "-i"), 1, 5));
        Assert.All(feed, p => Assert.Equal(["-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"], p.Arguments.TakeLast(5)));
        // Frames add up to the timeline: 11 clips of 60 frames, 9 half-second transitions of 15 frames.
        var frames = feed.Select(p => long.Parse(p.Arguments[IndexOf(p.Arguments, "-frames:v") + 1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(11 * 60 - 9 * 15, frames.Sum());
        Assert.Equal(plan.Duration * 30, frames.Sum(), 6);
        // The cut lands after clip 4's incoming transition: segment 1 starts 15 frames into clip 4, on its own clock.
        var second = FilterComplex(feed[1]);
        Assert.Contains("trim=start_frame=15:end_frame=60,setpts=expr=PTS-STARTPTS", second, StringComparison.Ordinal);
        Assert.Contains("xfade=transition=wipeleft:duration=0.5:offset=1", second, StringComparison.Ordinal);
        // The encoder reads the frames on stdin; the clips themselves never appear in its arguments.
        Assert.Equal(["-framerate", "30", "-i", "pipe:0"], plan.Arguments.SkipWhile(a => a != "-framerate").Take(4));
        Assert.DoesNotContain("/in/a.mp4", plan.Arguments);
    }

    [Fact]
    public void TrimEndWithinAFramePastTheProbedDurationIsClampedToTheSource()
    {
        var plan = _planner.Plan(Spec(Clip("c", start: 0.5, end: 2.02)), Inputs, "/out/x.mp4");

        Assert.Equal(1.5, plan.Duration, 9);
        Assert.Equal(["-ss", "0.5", "-t", "1.5", "-i", "/in/c.mp4"], plan.Arguments.Skip(2).Take(6));
    }

    [Fact]
    public void TrimEndBeyondTheProbedDurationFailsNamingTheSourcesLength()
    {
        var error = Assert.Throws<RenderPlanException>(() => _planner.Plan(Spec(Clip("c", start: 0.5, end: 10)), Inputs, "/out/x.mp4"));

        Assert.Equal("/clips/0/trim/end", error.Pointer);
        Assert.Contains("2 s long", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void NtscRatesUseExactRationalsAndFrameAlignedDurations()
    {
        var spec = Spec(Clip("a", end: 2)) with { Output = new OutputSpec { Width = 320, Height = 180, Fps = 29.97 } };

        var plan = _planner.Plan(spec, Inputs, "/out/x.mp4");

        Assert.Contains("fps=fps=30000/1001", FilterComplex(plan), StringComparison.Ordinal);
        Assert.Equal("30000/1001", plan.Arguments[IndexOf(plan.Arguments, "-r") + 1]);
        Assert.Equal(60 * 1001 / 30000.0, plan.Duration, 9);
    }

    [Fact]
    public void ATransitionLongerThanAProbedClipIsRejectedWithItsPointer()
    {
        var spec = Spec(Clip("a", transition: Fade(0.5)), Clip("c", start: 1.8, transition: Fade(0.4)), Clip("a"));

        var error = Assert.Throws<RenderPlanException>(() => _planner.Plan(spec, Inputs, "/out/x.mp4"));

        Assert.Equal("/clips/0/transition/duration", error.Pointer);
    }

    [Fact]
    public void TransitionsMayNotOverlapInsideAShortMiddleClip()
    {
        var spec = Spec(Clip("a", transition: Fade(0.6)), Clip("c", end: 1, transition: Fade(0.6)), Clip("a"));

        var error = Assert.Throws<RenderPlanException>(() => _planner.Plan(spec, Inputs, "/out/x.mp4"));

        Assert.Equal("/clips/1/transition/duration", error.Pointer);
    }

    [Theory]
    [InlineData("missing", "/clips/1/source")]
    [InlineData("music", "/clips/1/source")]
    public void ClipSourcesMustBeDownloadedVideo(string source, string pointer)
    {
        var error = Assert.Throws<RenderPlanException>(() => _planner.Plan(Spec(Clip("a"), Clip(source)), Inputs, "/out/x.mp4"));

        Assert.Equal(pointer, error.Pointer);
    }

    [Fact]
    public void TrimStartBeyondTheSourceIsRejected()
    {
        var error = Assert.Throws<RenderPlanException>(() => _planner.Plan(Spec(Clip("c", start: 2.5)), Inputs, "/out/x.mp4"));

        Assert.Equal("/clips/0/trim/start", error.Pointer);
    }

    [Fact]
    public void OverlaysAndMusicAreCheckedAgainstTheRealTimeline()
    {
        var spec = Spec(Clip("c"));

        var late = Assert.Throws<RenderPlanException>(() => _planner.Plan(
            spec with { Overlays = [new TextOverlaySpec { Text = "hi" }, new TextOverlaySpec { Text = "late", Start = 2 }] }, Inputs, "/out/x.mp4"));
        var noImage = Assert.Throws<RenderPlanException>(() => _planner.Plan(
            spec with { Overlays = [new ImageOverlaySpec { Source = "nope" }] }, Inputs, "/out/x.mp4"));
        var noMusic = Assert.Throws<RenderPlanException>(() => _planner.Plan(
            spec with { Audio = new AudioSpec { Source = "nope" } }, Inputs, "/out/x.mp4"));

        Assert.Equal("/overlays/1/start", late.Pointer);
        Assert.Equal("/overlays/0/source", noImage.Pointer);
        Assert.Equal("/audio/source", noMusic.Pointer);
    }

    [Fact]
    public void TheSameSpecAlwaysGivesTheSameArguments()
    {
        CompositionSpec Build() => Spec(Clip("a", start: 0.25, transition: Fade(0.5, "wipeleft")), Clip("img", duration: 1.5)) with
        {
            Audio = new AudioSpec { Source = "music", FadeIn = 0.5, FadeOut = 0.5, Volume = 0.8, ClipAudio = 0.3 },
            Overlays =
            [
                new ImageOverlaySpec { Source = "logo", Scale = 0.2, Opacity = 0.5, Position = Position.BottomRight, Start = 1, End = 2 },
                new TextOverlaySpec { Text = "Hello, world", Position = Position.Bottom, Box = true },
            ],
        };

        var first = _planner.Plan(Build(), Inputs, "/out/x.mp4");
        var second = new RenderPlanner().Plan(Build(), new Dictionary<string, LocalInput>(Inputs.Reverse()), "/out/x.mp4");

        Assert.Equal(first.Arguments, second.Arguments);
    }

    [Fact]
    public void HostileTextStaysInsideOneArgumentAndOneFilter()
    {
        const string hostile = "'); system(rm -rf /) # : \\ % , ; [ ] = \"";
        var spec = Spec(Clip("c")) with { Overlays = [new TextOverlaySpec { Text = hostile }] };
        var plain = Spec(Clip("c")) with { Overlays = [new TextOverlaySpec { Text = "plain" }] };

        var plan = _planner.Plan(spec, Inputs, "/out/x.mp4");
        var reference = _planner.Plan(plain, Inputs, "/out/x.mp4");

        Assert.Equal(reference.Arguments.Count, plan.Arguments.Count);
        Assert.Single(plan.Arguments, a => a.Contains("drawtext", StringComparison.Ordinal));
        Assert.Equal(reference.Arguments[^1], plan.Arguments[^1]);
        Assert.Equal(IndexOf(reference.Arguments, "-filter_complex"), IndexOf(plan.Arguments, "-filter_complex"));
        // The graph keeps the same number of chains: no ';' escaped from the text.
        Assert.Equal(Chains(FilterComplex(reference)), Chains(FilterComplex(plan)));
    }

    [Fact]
    public void GifOutputHasNoAudioAndBuildsItsPaletteInAPassOfItsOwn()
    {
        var spec = Spec(Clip("a", transition: Fade(0.5)), Clip("c")) with { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } };

        var plan = _planner.Plan(spec, Inputs, "/out/x.gif");

        Assert.Equal(["palette", "render"], plan.Passes.Select(p => p.Name));
        var palette = plan.Passes[0];
        Assert.EndsWith("palettegen[vout]", FilterComplex(palette), StringComparison.Ordinal);
        Assert.Equal(RenderPlanner.PaletteWorkFile, palette.Arguments[^1]);
        var graph = FilterComplex(plan);
        Assert.DoesNotContain("acrossfade", graph, StringComparison.Ordinal);
        Assert.DoesNotContain("palettegen", graph, StringComparison.Ordinal);
        Assert.Contains("paletteuse", graph, StringComparison.Ordinal);
        Assert.Contains(RenderPlanner.PaletteWorkFile, plan.Arguments);
        Assert.Contains("-an", plan.Arguments);
        Assert.Single(plan.Arguments, "-map");
    }

    [Theory]
    [InlineData(1.0, null, 1.0, 320)]
    [InlineData(1.99, 101, 1.966667, 100)]
    [InlineData(null, null, 1.0, 320)]
    [InlineData(-5.0, null, 0, 320)]
    public void ThumbnailIsClampedToTheLastFrameAndHasAnEvenWidth(double? time, int? width, double expectedTime, int expectedWidth)
    {
        var spec = Spec(Clip("c")) with { Thumbnail = new ThumbnailSpec { Time = time, Width = width } };

        var plan = _planner.Plan(spec, Inputs, "/out/x.mp4");

        Assert.Equal(expectedTime, plan.Thumbnail.Time, 6);
        Assert.Equal(expectedWidth, plan.Thumbnail.Width);
    }

    private static string FilterComplex(RenderPlan plan) => plan.Arguments[IndexOf(plan.Arguments, "-filter_complex") + 1];

    private static string FilterComplex(RenderPass pass) => pass.Arguments[IndexOf(pass.Arguments, "-filter_complex") + 1];

    private static RenderPass AudioPass(RenderPlan plan) => Assert.Single(plan.Passes[^1].Alongside, p => p.Name == "audio");

    private static int IndexOf(IReadOnlyList<string> arguments, string value) => arguments.ToList().IndexOf(value);

    /// <summary>Counts chain separators that ffmpeg would see (unescaped ';'), skipping backslash escapes.</summary>
    private static int Chains(string graph)
    {
        var count = 1;
        for (var i = 0; i < graph.Length; i++)
        {
            if (graph[i] == '\\') i++;
            else if (graph[i] == ';') count++;
        }
        return count;
    }
}
