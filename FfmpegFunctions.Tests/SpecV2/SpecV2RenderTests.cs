using System.Globalization;
using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.SpecV2;

/// <summary>Tiny sources for the v2 render tests, made once.</summary>
public sealed class SpecV2Media : IDisposable
{
    private readonly TestMedia media = new();

    public SpecV2Media()
    {
        var box = System.IO.Path.Combine(media.Directory, "box.png");
        FfmpegCli.Run(["-f", "lavfi", "-i", "color=c=black:s=320x180,drawbox=x=120:y=70:w=80:h=40:color=white:t=fill", "-frames:v", "1", box]);
        Inputs = new Dictionary<string, LocalInput>(StringComparer.Ordinal)
        {
            ["blue"] = FfprobeReader.Input(media.Image("blue.png", 320, 180, "blue")),
            ["red"] = FfprobeReader.Input(media.Image("red.png", 160, 90, "red")),
            ["yellow"] = FfprobeReader.Input(media.Image("yellow.png", 64, 64, "yellow")),
            ["white"] = FfprobeReader.Input(media.Image("white.png", 320, 180, "white")),
            ["box"] = FfprobeReader.Input(box),
            ["tone"] = FfprobeReader.Input(media.Video("tone.mp4", seconds: 2)),
        };
    }

    public Dictionary<string, LocalInput> Inputs { get; }

    public string Path(string name) => System.IO.Path.Combine(media.Directory, name);

    public void Dispose() => media.Dispose();
}

/// <summary>Each v2 feature rendered by the real ffmpeg and checked in the pixels or the sound.</summary>
public sealed class SpecV2RenderTests(SpecV2Media media) : IClassFixture<SpecV2Media>, IDisposable
{
    private readonly RenderPlanner planner = new();
    private readonly Rendering.Execution.ExecutionHarness harness = new();

    public void Dispose() => harness.Dispose();

    private static CompositionSpec Spec(params ClipSpec[] clips) => new()
    {
        Output = new OutputSpec { Width = 320, Height = 180, Fps = 25, Preset = "ultrafast" },
        Clips = clips,
    };

    private static ClipSpec Still(string source, double seconds) => new() { Source = source, Duration = seconds };

    [Fact]
    public async Task ALayerShowsInsideItsRectangleOnlyWhileItIsOnTheTimeline()
    {
        var spec = Spec(Still("blue", 3)) with
        {
            Layers = [new LayerSpec { Source = "red", Start = 1, Duration = 1, Width = 80, X = 10, Y = 10 }],
        };

        var file = await RenderAsync(spec, "layer.mp4");

        var during = FramePixels.At(file, 1.5, 320, 180);
        Assert.True(FramePixels.Near(during[50, 30], (255, 0, 0)), $"inside the layer at 1.5 s: {during[50, 30]}");
        Assert.True(FramePixels.Near(during[200, 120], (0, 0, 255)), $"outside the layer: {during[200, 120]}");
        Assert.True(FramePixels.Near(during[100, 30], (0, 0, 255)), $"just right of the 80 px layer: {during[100, 30]}");
        Assert.True(FramePixels.Near(FramePixels.At(file, 0.5, 320, 180)[50, 30], (0, 0, 255)), "before the layer starts");
        Assert.True(FramePixels.Near(FramePixels.At(file, 2.5, 320, 180)[50, 30], (0, 0, 255)), "after the layer ends");
    }

    [Fact]
    public async Task LayersStackInOrderWithOpacity()
    {
        var spec = Spec(Still("blue", 2)) with
        {
            Layers =
            [
                new LayerSpec { Source = "red", Start = 0, Duration = 2, Width = 100, Height = 60, Fit = Fit.Cover, X = 0, Y = 0 },
                new LayerSpec { Source = "white", Start = 0, Duration = 2, Width = 40, Height = 40, X = 30, Y = 10, Opacity = 0.5 },
            ],
        };

        var frame = FramePixels.At(await RenderAsync(spec, "stack.mp4"), 1, 320, 180);

        Assert.True(FramePixels.Near(frame[10, 50], (255, 0, 0)), $"first layer: {frame[10, 50]}");
        // Half-transparent white over red: pink.
        var (r, g, b) = frame[45, 25];
        Assert.True(r > 200 && g is > 90 and < 170 && b is > 90 and < 170, $"second layer at half opacity over the first: {(r, g, b)}");
    }

    [Fact]
    public async Task SpeedChangesLengthButKeepsThePitch()
    {
        var fast = Spec(new ClipSpec { Source = "tone", Speed = 2 });
        var slow = Spec(new ClipSpec { Source = "tone", Trim = new TrimSpec { Start = 0, End = 1 }, Speed = 0.25 });

        var fastFile = await RenderAsync(fast, "fast.mp4");
        var slowFile = await RenderAsync(slow, "slow.mp4");

        Assert.Equal(1.0, FfprobeReader.Read(fastFile).Duration, 0.05);
        Assert.Equal(4.0, FfprobeReader.Read(slowFile).Duration, 0.05);
        // The source is a 440 Hz tone; atempo keeps it there (a plain resample would make it 880 Hz or 110 Hz).
        Assert.InRange(Frequency(fastFile, 0.2, 0.6), 420, 460);
        Assert.InRange(Frequency(slowFile, 0.5, 2), 420, 460);
    }

    [Fact]
    public async Task KenBurnsZoomsTowardsItsTarget()
    {
        var spec = Spec(new ClipSpec
        {
            Source = "box",
            Duration = 2,
            Motion = new MotionSpec { From = new MotionFrame { Zoom = 1 }, To = new MotionFrame { Zoom = 2 }, Easing = Easing.Linear },
        });

        var file = await RenderAsync(spec, "kenburns.mp4");

        // The white 80x40 box in the middle doubles in size: (100, 90) is black at first, white at the end.
        Assert.True(FramePixels.At(file, 0, 320, 180).Luma(98, 88, 4, 4) < 40, "outside the box at the start");
        Assert.True(FramePixels.At(file, 1.95, 320, 180).Luma(98, 88, 4, 4) > 200, "inside the zoomed box at the end");
        Assert.True(FramePixels.At(file, 1.95, 320, 180).Luma(20, 20, 4, 4) < 40, "the corners stay black");
    }

    [Fact]
    public async Task ClipAndOverlayFadesRampTheirBrightness()
    {
        var spec = Spec(new ClipSpec { Source = "white", Duration = 2, FadeIn = 1 }) with
        {
            Overlays = [new ImageOverlaySpec { Source = "yellow", X = 200, Y = 50, Start = 0.5, End = 2, FadeIn = 1 }],
        };

        var file = await RenderAsync(spec, "fades.mp4");

        var start = FramePixels.At(file, 0.04, 320, 180).Luma(10, 10, 10, 10);
        var middle = FramePixels.At(file, 0.5, 320, 180).Luma(10, 10, 10, 10);
        var end = FramePixels.At(file, 1.5, 320, 180).Luma(10, 10, 10, 10);
        Assert.True(start < 30 && middle is > 90 and < 170 && end > 230, $"clip fade from black: {start:0} -> {middle:0} -> {end:0}");
        // Yellow over white: the blue under the overlay falls, relative to the background's, as it fades in (0.5 s to 1.5 s).
        var early = FramePixels.At(file, 0.6, 320, 180);
        var late = FramePixels.At(file, 1.8, 320, 180);
        var earlyShare = early[230, 80].B / (double)early[10, 10].B;
        var lateShare = late[230, 80].B / (double)late[10, 10].B;
        Assert.True(earlyShare > 0.75 && lateShare < 0.2, $"overlay fade: blue under it {earlyShare:0.00} -> {lateShare:0.00} of the background's");
    }

    [Fact]
    public async Task CaptionsBurnInDuringTheirCuesIncludingRightToLeftText()
    {
        var srt = media.Path("subs.srt");
        File.WriteAllText(srt, "1\n00:00:00,500 --> 00:00:01,200\n{\\an8}Hello {literal} \\N\n\n2\n00:00:01,500 --> 00:00:02,000\nשלום مرحبا\n");
        var captions = new CaptionsSpec { Source = "subs", FontSize = 28, Color = "white", Outline = 2 };
        var spec = Spec(Still("blue", 2.2)) with { Captions = captions };
        var inputs = new Dictionary<string, LocalInput>(media.Inputs)
        {
            ["subs"] = new(CaptionsProbe.WriteAss(srt, captions, spec.Output), CaptionsProbe.NoMedia),
        };

        var plan = await RenderAsync(spec, inputs, "captions.mp4");
        // Missing glyphs (tofu) are what libass warns about: the same file through the same filter, at warning level.
        var stderr = FfmpegCli.Run(["-f", "lavfi", "-i", "color=c=blue:s=320x180:d=2.2", "-vf", $"ass=filename={inputs["subs"].Path}:shaping=complex", "-f", "null", "-"],
            logLevel: "warning");
        Assert.DoesNotContain("Glyph", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fallback", stderr, StringComparison.OrdinalIgnoreCase);
        var bottom = (x: 0, y: 110, w: 320, h: 70);
        Assert.Equal(0, FramePixels.At(plan.OutputPath, 0.2, 320, 180).Bright(bottom.x, bottom.y, bottom.w, bottom.h));
        Assert.True(FramePixels.At(plan.OutputPath, 0.8, 320, 180).Bright(bottom.x, bottom.y, bottom.w, bottom.h) > 100, "the first cue at the bottom ({\\an8} was dropped)");
        Assert.True(FramePixels.At(plan.OutputPath, 1.75, 320, 180).Bright(bottom.x, bottom.y, bottom.w, bottom.h) > 100, "the Hebrew and Arabic cue");
        var ass = File.ReadAllText(inputs["subs"].Path);
        Assert.Contains("Hello \\{literal\\} \\\u2060N", ass, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APreviewIsA360pUltrafastDraftLaidOutLikeTheFinal()
    {
        var spec = Spec(Still("blue", 1)) with
        {
            Output = new OutputSpec { Width = 1280, Height = 720, Fps = 60, Preset = "slow", Preview = true },
            Layers = [new LayerSpec { Source = "red", Start = 0, Duration = 1, Width = 400, X = 80, Y = 80 }],
        };

        var plan = await RenderAsync(spec, media.Inputs, "preview.mp4");

        Assert.Equal((640, 360, 15.0, "ultrafast"), (plan.Output.Width, plan.Output.Height, plan.Output.Fps, plan.Output.Preset));
        var probed = FfprobeReader.Read(plan.OutputPath);
        Assert.Equal((640, 360), (probed.Width, probed.Height));
        var frame = FramePixels.At(plan.OutputPath, 0.5, 640, 360);
        // The 400 px layer at (80, 80) of 1280x720 is 200 px at (40, 40) of the draft.
        Assert.True(FramePixels.Near(frame[45, 45], (255, 0, 0)) && FramePixels.Near(frame[235, 45], (255, 0, 0)), "the scaled layer");
        Assert.True(FramePixels.Near(frame[250, 45], (0, 0, 255)), "right of the scaled layer");
    }

    [Fact]
    public void AV1SpecPlansExactlyAsWithExplicitV2Defaults()
    {
        var v1 = Spec(new ClipSpec { Source = "tone", Transition = new TransitionSpec { Duration = 0.5 } }, Still("blue", 1)) with
        {
            Overlays = [new TextOverlaySpec { Text = "hi", Start = 0.5 }, new ImageOverlaySpec { Source = "yellow" }],
        };
        var explicitDefaults = v1 with
        {
            Clips = [.. v1.Clips.Select(c => c with { Speed = 1, FadeIn = 0, FadeOut = 0, Motion = null })],
            Overlays = [.. v1.Overlays.Select(o => o with { FadeIn = 0, FadeOut = 0 })],
            Layers = [],
            Captions = null,
            AudioTracks = [],
            Ducking = new DuckingSpec(),
            Output = v1.Output with { Preview = false, Loudness = null },
        };

        var expected = planner.Plan(v1, media.Inputs, "/tmp/a.mp4");
        var actual = planner.Plan(explicitDefaults, media.Inputs, "/tmp/a.mp4");
        Assert.Equal(expected.Passes.Select(p => p.Arguments), actual.Passes.Select(p => p.Arguments));
        Assert.DoesNotContain(expected.Passes.SelectMany(p => p.Arguments), a => a.Contains("zoompan", StringComparison.Ordinal) || a.Contains("atempo", StringComparison.Ordinal) || a.Contains("loudnorm", StringComparison.Ordinal));
    }

    [Fact]
    public void ALayerOrAudioTrackTrimmedBeyondItsSourceFailsNamingTheRealLength()
    {
        var layer = Spec(Still("blue", 3)) with { Layers = [new LayerSpec { Source = "tone", Trim = new TrimSpec { Start = 0, End = 5 } }] };
        var track = Spec(Still("blue", 3)) with { AudioTracks = [new AudioTrackSpec { Source = "tone", Trim = new TrimSpec { Start = 0.5, End = 5 } }] };

        var layerError = Assert.Throws<Core.Rendering.Planning.RenderPlanException>(() => planner.Plan(layer, media.Inputs, media.Path("x.mp4")));
        var trackError = Assert.Throws<Core.Rendering.Planning.RenderPlanException>(() => planner.Plan(track, media.Inputs, media.Path("x.mp4")));

        Assert.Equal("/layers/0/trim/end", layerError.Pointer);
        Assert.Equal("/audioTracks/0/trim/end", trackError.Pointer);
        Assert.Contains("which is 2 s long", trackError.Detail, StringComparison.Ordinal);
    }

    private async Task<string> RenderAsync(CompositionSpec spec, string name) => (await RenderAsync(spec, media.Inputs, name)).OutputPath;

    /// <summary>Every pass of the plan, through the real executor.</summary>
    private async Task<RenderPlan> RenderAsync(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, string name)
    {
        var plan = planner.Plan(spec, inputs, media.Path(name));
        await harness.Executor.RenderAsync(plan, null, CancellationToken.None);
        return plan;
    }

    /// <summary>The dominant frequency of a mono window from its zero crossings (a pure tone is all the sources hold).</summary>
    private static double Frequency(string path, double start, double seconds)
    {
        var bytes = FfmpegCli.Output(["-ss", Num(start), "-t", Num(seconds), "-i", path, "-vn", "-ac", "1", "-ar", "48000", "-f", "s16le", "-"]);
        var crossings = 0;
        short previous = 0;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            var sample = BitConverter.ToInt16(bytes, i);
            if ((previous < 0 && sample >= 0) || (previous >= 0 && sample < 0)) crossings++;
            previous = sample;
        }
        return crossings / 2.0 / (bytes.Length / 2 / 48000.0);
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
