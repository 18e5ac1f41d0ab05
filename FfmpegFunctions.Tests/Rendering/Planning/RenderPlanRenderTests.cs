using System.Diagnostics;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;
using Xunit.Abstractions;
using static FfmpegFunctions.Tests.Rendering.Planning.PlannerSpecs;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Plans rendered by the real ffmpeg 5.1 and checked with ffprobe.</summary>
public sealed class RenderPlanRenderTests(PlanningMediaFixture media, ITestOutputHelper log) : IClassFixture<PlanningMediaFixture>
{
    private readonly RenderPlanner _planner = new();

    public static TheoryData<string> Transitions => [.. TransitionTypes.Supported.Order(StringComparer.Ordinal)];

    [Fact]
    public void ASingleTrimmedClipLastsExactlyItsTrimWindow()
    {
        var spec = Spec(Clip("landscape", start: 0.5, end: 1.7));

        var (plan, file) = Render(spec, "trimmed.mp4");

        AssertMatches(plan, file);
        Assert.Equal(1.2, plan.Duration, 6);
        Assert.Equal(("h264", "aac", 48000, 2), (file.VideoCodec, file.AudioCodec, file.AudioSampleRate, file.AudioChannels));
    }

    [Fact]
    public void ClipsOfMixedSizesRatesAndAudioLayoutsJoinIntoOneStream()
    {
        var spec = Spec(
            Clip("landscape", end: 1.5, transition: Fade(0.5)),
            Clip("portrait", duration: 1.5) with { Fit = Fit.Blur },
            Clip("rotated", end: 0.5),
            Clip("mono", start: 0.3) with { Fit = Fit.Cover, Volume = 0.5 }) with
        { Output = new OutputSpec { Width = 640, Height = 360, Fps = 29.97, Preset = "ultrafast" } };

        var (plan, file) = Render(spec, "mixed.mp4");

        AssertMatches(plan, file);
        Assert.Equal([0, 1, 2.5, 3], plan.ClipStarts.Select(s => Math.Round(s, 1)));
        Assert.Equal((2, 48000), (file.AudioChannels, file.AudioSampleRate));
    }

    [Fact]
    public void AStillImageBecomesAClipOfItsDurationBetweenACutAndATransition()
    {
        // cut then xfade: the xfade's first input comes out of concat, on concat's time base.
        var spec = Spec(Clip("landscape", end: 1), Clip("still", duration: 1.5, transition: Fade(0.5, "dissolve")), Clip("landscape", end: 1));

        var (plan, file) = Render(spec, "still.mp4");

        AssertMatches(plan, file);
        Assert.Equal(3, plan.Duration, 6);
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void EveryTransitionTypeRendersWithExactTiming(string type)
    {
        var spec = Spec(Clip("small", transition: Fade(0.4, type)), Clip("small")) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 25, Preset = "ultrafast" } };

        var (plan, file) = Render(spec, $"xfade-{type}.mp4");

        AssertMatches(plan, file);
        Assert.Equal(1.6, plan.Duration, 6);
    }

    [Fact]
    public void TimedImageAndHostileTextOverlaysRender()
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

        var (plan, file) = Render(spec, "overlays.mp4");

        AssertMatches(plan, file);
    }

    [Fact]
    public void AShortLoopingMusicBedCoversTheWholeVideo()
    {
        var spec = Spec(Clip("landscape", transition: Fade(0.5)), Clip("portrait")) with
        {
            Audio = new AudioSpec { Source = "music", Loop = true, FadeIn = 0.3, FadeOut = 0.5, Volume = 0.8, ClipAudio = 0.4 },
        };

        var (plan, file) = Render(spec, "music.mp4");

        AssertMatches(plan, file);
        Assert.Equal(3.5, plan.Duration, 6);
        // The second clip is silent, so anything heard there is the 0.7 s music on its later loops.
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 2.2, 0.6) > -40, "music should still play after its first loops");
    }

    [Fact]
    public void MusicWithoutLoopEndsInSilence()
    {
        var spec = Spec(Clip("portrait", end: 1.5)) with { Audio = new AudioSpec { Source = "music", Loop = false } };

        var (plan, file) = Render(spec, "music-once.mp4");

        AssertMatches(plan, file);
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 0.1, 0.4) > -40, "music plays at first");
        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 1, 0.4) < -80, "then silence once it ends");
    }

    [Fact]
    public void WebmUsesVp9AndOpus()
    {
        var spec = Spec(Clip("mono", end: 1)) with
        { Output = new OutputSpec { Width = 320, Height = 180, Fps = 24, Format = OutputFormat.Webm } };

        var (plan, file) = Render(spec, "out.webm");

        Assert.Equal(("vp9", "opus"), (file.VideoCodec, file.AudioCodec));
        Assert.InRange(file.Duration, plan.Duration - 1 / 24.0, plan.Duration + 1 / 24.0 + 0.01);
        Assert.Equal((320, 180), (file.Width, file.Height));
    }

    [Fact]
    public void GifHasNoAudioAndTheRequestedSize()
    {
        var spec = Spec(Clip("small", transition: Fade(0.4, "wipeleft")), Clip("small")) with
        { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } };

        var (plan, file) = Render(spec, "out.gif");

        Assert.Equal("gif", file.VideoCodec);
        Assert.False(file.HasAudio);
        Assert.Equal((160, 90), (file.Width, file.Height));
        Assert.InRange(file.Duration, plan.Duration - 0.1, plan.Duration + 0.1);
    }

    private (RenderPlan Plan, ProbedFile File) Render(CompositionSpec spec, string name)
    {
        var plan = _planner.Plan(spec, media.Inputs, media.OutputPath(name));
        var clock = Stopwatch.StartNew();
        FfmpegCli.Run(plan.Arguments);
        log.WriteLine($"{name}: rendered in {clock.ElapsedMilliseconds} ms");
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
}
