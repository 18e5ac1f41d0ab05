using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Rendering.Execution;
using FfmpegFunctions.Tests.Support;
using Xunit.Abstractions;
using static FfmpegFunctions.Tests.Rendering.Planning.PlannerSpecs;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Plans rendered by the real ffmpeg 5.1 and checked with ffprobe.</summary>
public sealed class RenderPlanRenderTests(PlanningMediaFixture media, ITestOutputHelper log) : IClassFixture<PlanningMediaFixture>, IDisposable
{
    private readonly RenderPlanner _planner = new();
    // Plans have several passes with work files in a working directory: the executor runs them as production does.
    private readonly ExecutionHarness _harness = new();

    public static TheoryData<string> Transitions => [.. TransitionTypes.Supported.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ASingleTrimmedClipLastsExactlyItsTrimWindow()
    {
        var spec = Spec(Clip("landscape", start: 0.5, end: 1.7));

        var (plan, file) = await RenderAsync(spec, "trimmed.mp4");

        AssertMatches(plan, file);
        Assert.Equal(1.2, plan.Duration, 6);
        Assert.Equal(("h264", "aac", 48000, 2), (file.VideoCodec, file.AudioCodec, file.AudioSampleRate, file.AudioChannels));
    }

    [Fact]
    public async Task ClipsOfMixedSizesRatesAndAudioLayoutsJoinIntoOneStream()
    {
        var spec = Spec(
            Clip("landscape", end: 1.5, transition: Fade(0.5)),
            Clip("portrait", duration: 1.5) with { Fit = Fit.Blur },
            Clip("rotated", end: 0.5),
            Clip("mono", start: 0.3) with { Fit = Fit.Cover, Volume = 0.5 }) with
        { Output = new OutputSpec { Width = 640, Height = 360, Fps = 29.97, Preset = "ultrafast" } };

        var (plan, file) = await RenderAsync(spec, "mixed.mp4");

        AssertMatches(plan, file);
        Assert.Equal([0, 1, 2.5, 3], plan.ClipStarts.Select(s => Math.Round(s, 1)));
        Assert.Equal((2, 48000), (file.AudioChannels, file.AudioSampleRate));
    }

    [Fact]
    public async Task AStillImageBecomesAClipOfItsDurationBetweenACutAndATransition()
    {
        // cut then xfade: the xfade's first input comes out of concat, on concat's time base.
        var spec = Spec(Clip("landscape", end: 1), Clip("still", duration: 1.5, transition: Fade(0.5, "dissolve")), Clip("landscape", end: 1));

        var (plan, file) = await RenderAsync(spec, "still.mp4");

        AssertMatches(plan, file);
        Assert.Equal(3, plan.Duration, 6);
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task EveryTransitionTypeRendersWithExactTiming(string type)
    {
        var spec = Spec(Clip("small", transition: Fade(0.4, type)), Clip("small")) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 25, Preset = "ultrafast" } };

        var (plan, file) = await RenderAsync(spec, $"xfade-{type}.mp4");

        AssertMatches(plan, file);
        Assert.Equal(1.6, plan.Duration, 6);
    }

    [Fact]
    public async Task TimedImageAndHostileTextOverlaysRender()
    {
        var spec = Spec(Clip("landscape")) with
        {
            Overlays =
            [
                new ImageOverlaySpec { Source = "logo", Width = 32, Opacity = 0.6, Position = Position.TopRight, Start = 0.5, End = 1.5 },
                new TextOverlaySpec { Text = "a: ' \\ % , ; [ ] = Привет Γειά", FontSize = 14, Position = Position.BottomRight, Box = true },
                new TextOverlaySpec { Text = "'); system(rm -rf /) #", FontSize = 12, Position = Position.Center, Start = 1 },
            ],
        };

        var (plan, file) = await RenderAsync(spec, "overlays.mp4");

        AssertMatches(plan, file);
    }

    [Fact]
    public async Task AShortLoopingMusicBedCoversTheWholeVideo()
    {
        var spec = Spec(Clip("landscape", transition: Fade(0.5)), Clip("portrait")) with
        {
            Audio = new AudioSpec { Source = "music", Loop = true, FadeIn = 0.3, FadeOut = 0.5, Volume = 0.8, ClipAudio = 0.4 },
        };

        var (plan, file) = await RenderAsync(spec, "music.mp4");

        AssertMatches(plan, file);
        Assert.Equal(3.5, plan.Duration, 6);
        // The second clip is silent, so anything heard there is the 0.7 s music on its later loops.
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 2.2, 0.6) > -40, "music should still play after its first loops");
    }

    [Fact]
    public async Task MusicWithoutLoopEndsInSilence()
    {
        var spec = Spec(Clip("portrait", end: 1.5)) with { Audio = new AudioSpec { Source = "music", Loop = false } };

        var (plan, file) = await RenderAsync(spec, "music-once.mp4");

        AssertMatches(plan, file);
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 0.1, 0.4) > -40, "music plays at first");
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 1, 0.4) < -80, "then silence once it ends");
    }

    [Fact]
    public async Task WebmUsesVp9AndOpus()
    {
        var spec = Spec(Clip("mono", end: 1)) with
        { Output = new OutputSpec { Width = 320, Height = 180, Fps = 24, Format = OutputFormat.Webm } };

        var (plan, file) = await RenderAsync(spec, "out.webm");

        Assert.Equal(("vp9", "opus"), (file.VideoCodec, file.AudioCodec));
        Assert.InRange(file.Duration, plan.Duration - 1 / 24.0, plan.Duration + 1 / 24.0 + 0.01);
        Assert.Equal((320, 180), (file.Width, file.Height));
    }

    [Fact]
    public async Task GifHasNoAudioAndTheRequestedSize()
    {
        var spec = Spec(Clip("small", transition: Fade(0.4, "wipeleft")), Clip("small")) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } };

        var (plan, file) = await RenderAsync(spec, "out.gif");

        Assert.Equal("gif", file.VideoCodec);
        Assert.False(file.HasAudio);
        Assert.Equal((160, 90), (file.Width, file.Height));
        Assert.InRange(file.Duration, plan.Duration - 0.1, plan.Duration + 0.1);
    }

    [Fact]
    public async Task TheSeparateAudioPassKeepsFrameCountDurationAndSync()
    {
        var spec = Spec(
            Clip("landscape", end: 1.6, transition: Fade(0.4)),
            Clip("mono", transition: Fade(0.5, "wipeleft")),
            Clip("portrait", end: 1.2),
            Clip("landscape", start: 0.4)) with
        {
            Output = new OutputSpec { Width = 320, Height = 180, Fps = 25, Preset = "ultrafast" },
            Audio = new AudioSpec { Source = "music", Loop = true, FadeIn = 0.3, FadeOut = 0.3, Volume = 0.5, ClipAudio = 0.8 },
        };

        var (plan, file) = await RenderAsync(spec, "audio-pass.mp4");

        AssertMatches(plan, file);
        // The mono source probes a little under 2 s, so the total is a frame or so under 1.6 + 2 + 1.2 + 1.6 - 0.4 - 0.5.
        Assert.InRange(plan.Duration, 5.4, 5.5);
        Assert.Equal((long)Math.Round(plan.Duration * 25), StreamFacts.VideoFrames(plan.OutputPath));
        AssertInSync(plan);
    }

    [Fact]
    public async Task ASegmentedTimelineHasTheSameFramesAsTheUnsplitRender()
    {
        // Cuts after clip 1 and clip 3's incoming transitions, with a hard cut and every join type in between.
        var spec = Spec(
            Clip("landscape", end: 1.2, transition: Fade(0.4)),
            Clip("small", transition: Fade(0.2, "wipeleft")),
            Clip("mono", end: 1),
            Clip("still", duration: 0.8, transition: Fade(0.3, "dissolve")),
            Clip("landscape", start: 1, transition: Fade(0.2)),
            Clip("portrait", end: 0.6)) with
        {
            Output = new OutputSpec { Width = 320, Height = 180, Fps = 25, Preset = "ultrafast" },
            Audio = new AudioSpec { Source = "music", Loop = true },
        };
        var segmented = new RenderPlanner { MaxClipsPerProcess = 2 };

        var (plan, file) = await RenderAsync(segmented, spec, "segmented.mp4");
        var (whole, _) = await RenderAsync(new RenderPlanner { MaxClipsPerProcess = 100 }, spec, "unsplit.mp4");

        Assert.Equal(3, plan.Passes[^1].Feed.Count);
        Assert.Empty(whole.Passes[^1].Feed);
        AssertMatches(plan, file);
        AssertInSync(plan);
        var expectedFrames = (long)Math.Round(plan.Duration * 25);
        var frames = StreamFacts.FrameHashes(plan.OutputPath);
        Assert.Equal(expectedFrames, frames.Count);
        Assert.Equal(StreamFacts.FrameHashes(whole.OutputPath), frames);
    }

    [Fact]
    public async Task TheTwoPassGifHasEveryFrameAndItsPaletteIsRemoved()
    {
        var spec = Spec(Clip("landscape", transition: Fade(0.5, "wipeleft")), Clip("still", duration: 1)) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } };

        var (plan, file) = await RenderAsync(spec, "two-pass.gif");

        Assert.Equal(["palette", "render"], plan.Passes.Select(p => p.Name));
        Assert.Equal(("gif", false, (160, 90)), (file.VideoCodec, file.HasAudio, (file.Width, file.Height)));
        Assert.Equal(25, StreamFacts.VideoFrames(plan.OutputPath));
        Assert.InRange(file.Duration, plan.Duration - 0.1, plan.Duration + 0.1);
        // The last second is the blue still: paletteuse drew it from a palette made from this video.
        var (r, g, b) = StreamFacts.AverageColor(plan.OutputPath, plan.Duration - 0.15);
        Assert.True(b > 200 && r < 40 && g < 40, $"expected blue, got rgb({r},{g},{b})");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(plan.OutputPath)!, RenderPlanner.PaletteWorkFile));
    }

    [Fact]
    public async Task ASegmentedGifFeedsBothItsPaletteAndItsFinalPass()
    {
        var spec = Spec(Clip("small", transition: Fade(0.4)), Clip("small"), Clip("still", duration: 0.5), Clip("small")) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } };

        var (plan, file) = await RenderAsync(new RenderPlanner { MaxClipsPerProcess = 1 }, spec, "segmented.gif");

        Assert.All(plan.Passes, p => Assert.True(p.Feed.Count > 1, $"{p.Name} should be fed"));
        Assert.Equal(("gif", (160, 90)), (file.VideoCodec, (file.Width, file.Height)));
        Assert.Equal((long)Math.Round(plan.Duration * 10), StreamFacts.VideoFrames(plan.OutputPath));
    }

    /// <summary>Audio starts with the video and ends within one frame of it.</summary>
    private static void AssertInSync(RenderPlan plan)
    {
        var frame = 1 / plan.Output.Fps;
        var video = StreamFacts.Timing(plan.OutputPath, "v");
        var audio = StreamFacts.Timing(plan.OutputPath, "a");
        Assert.InRange(audio.Start - video.Start, -frame, frame);
        Assert.InRange(audio.Start + audio.Duration - (video.Start + video.Duration), -frame, frame);
        Assert.InRange(video.Duration, plan.Duration - frame, plan.Duration + frame);
    }

    private Task<(RenderPlan Plan, ProbedFile File)> RenderAsync(CompositionSpec spec, string name) => RenderAsync(_planner, spec, name);

    private async Task<(RenderPlan Plan, ProbedFile File)> RenderAsync(RenderPlanner planner, CompositionSpec spec, string name)
    {
        var plan = planner.Plan(spec, media.Inputs, media.OutputPath(name));
        var clock = Stopwatch.StartNew();
        await _harness.Executor.RenderAsync(plan, null, CancellationToken.None);
        log.WriteLine($"{name}: {plan.Passes.Count} passes rendered in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(_harness.LeftoverWorkDirectories());
        return (plan, FfprobeReader.Read(plan.OutputPath));
    }

    /// <summary>Video within one frame of the plan; size, rate and codecs as asked; audio present and in sync.</summary>
    private static void AssertMatches(RenderPlan plan, ProbedFile file)
    {
        var frame = 1 / plan.Output.Fps;
        Assert.Equal((plan.Output.Width, plan.Output.Height), (file.Width, file.Height));
        Assert.Equal(plan.Output.Fps, file.AverageFps, 2);
        Assert.Equal(("h264", "aac"), (file.VideoCodec, file.AudioCodec));
        Assert.NotNull(file.VideoDuration);
        Assert.InRange(file.VideoDuration.Value, plan.Duration - frame, plan.Duration + frame);
        Assert.InRange(file.Duration, plan.Duration - frame, plan.Duration + frame);
    }

    public void Dispose() => _harness.Dispose();
}
