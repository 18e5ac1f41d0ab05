using System.Globalization;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.SpecV2;

/// <summary>Audio tracks, ducking and loudness, measured in the rendered sound.</summary>
public sealed partial class AudioV2RenderTests(SpecV2Media media) : IClassFixture<SpecV2Media>, IDisposable
{
    private readonly RenderPlanner planner = new();
    private readonly Rendering.Execution.ExecutionHarness harness = new();
    private readonly TestMedia sounds = new();

    public void Dispose()
    {
        harness.Dispose();
        sounds.Dispose();
    }

    private static CompositionSpec Silent(double seconds) => new()
    {
        Output = new OutputSpec { Width = 160, Height = 90, Fps = 25, Preset = "ultrafast" },
        Clips = [new ClipSpec { Source = "blue", Duration = seconds }],
    };

    [Theory]
    [InlineData(-16)]
    [InlineData(-23)]
    public async Task LoudnessNormalisationHitsTheTargetWithinOneLu(double target)
    {
        var inputs = With(("tone", sounds.Audio("tone.m4a", seconds: 4, frequency: 440)));
        var spec = Silent(4) with
        {
            Output = Silent(4).Output with { Loudness = new LoudnessSpec { Target = target, TruePeak = -1.5 } },
            AudioTracks = [new AudioTrackSpec { Source = "tone", Volume = 0.3 }],
        };

        var plan = await RenderAsync(spec, inputs, $"loud{-target}.mp4");

        Assert.Equal(["loudness", "render"], plan.Passes.Select(p => p.Name));
        Assert.NotNull(Assert.Single(plan.Passes[^1].Alongside).Resolve); // the mix is built from the measurement
        var (integrated, truePeak) = Measure(plan.OutputPath);
        Assert.InRange(integrated, target - 1, target + 1);
        Assert.True(truePeak <= -1.5 + 0.5, $"true peak {truePeak} dBTP");
    }

    [Fact]
    public async Task MusicDucksUnderAVoiceTrackByTheConfiguredDepth()
    {
        var inputs = With(("music", sounds.Audio("music.m4a", seconds: 5, frequency: 660)), ("voice", sounds.Audio("voice.m4a", seconds: 1.5, frequency: 2000)));
        var spec = Silent(5) with
        {
            Audio = new AudioSpec { Source = "music", Loop = false },
            AudioTracks = [new AudioTrackSpec { Source = "voice", Role = AudioRole.Voice, Start = 2 }],
            Ducking = new DuckingSpec { Depth = 12, Attack = 0.2, Release = 0.3 },
        };

        var plan = await RenderAsync(spec, inputs, "ducked.mp4");

        // The music alone (a band around 660 Hz; the voice is a 2 kHz tone): before the voice, and well inside it.
        var open = BandVolume(plan.OutputPath, 660, 0.5, 1);
        var ducked = BandVolume(plan.OutputPath, 660, 2.5, 0.7);
        var after = BandVolume(plan.OutputPath, 660, 4.2, 0.6);
        Assert.InRange(open - ducked, 11, 13);
        Assert.InRange(open - after, -1, 1);
        Assert.True(BandVolume(plan.OutputPath, 2000, 2.5, 0.7) > BandVolume(plan.OutputPath, 2000, 0.5, 1) + 10, "the voice is in the mix where it was placed");
    }

    [Fact]
    public async Task AnEffectTrackPlaysFromItsStartWithItsFades()
    {
        var inputs = With(("fx", sounds.Audio("fx.m4a", seconds: 1, frequency: 880)));
        var spec = Silent(3) with { AudioTracks = [new AudioTrackSpec { Source = "fx", Start = 1.5, FadeIn = 0.5 }] };

        var plan = await RenderAsync(spec, inputs, "effect.mp4");

        Assert.True(FfmpegCli.MeanVolume(plan.OutputPath, 0.2, 1) < -80, "silence before the effect");
        var rising = FfmpegCli.MeanVolume(plan.OutputPath, 1.5, 0.2);
        var full = FfmpegCli.MeanVolume(plan.OutputPath, 2.1, 0.3);
        Assert.True(full > -40 && full > rising + 3, $"the effect fades in: {rising:0.0} dB then {full:0.0} dB");
    }

    [Fact]
    public void APreviewSkipsTheLoudnessPass()
    {
        var inputs = With(("tone", sounds.Audio("tone-preview.m4a", seconds: 1)));
        var spec = Silent(1) with
        {
            Output = Silent(1).Output with { Preview = true, Loudness = new LoudnessSpec() },
            AudioTracks = [new AudioTrackSpec { Source = "tone" }],
        };

        var plan = planner.Plan(spec, inputs, media.Path("p.mp4"));
        Assert.Equal(["render"], plan.Passes.Select(p => p.Name));
        Assert.Null(Assert.Single(plan.Passes[^1].Alongside).Resolve);
    }

    private Dictionary<string, LocalInput> With(params (string Name, string Path)[] extra)
    {
        var inputs = new Dictionary<string, LocalInput>(media.Inputs);
        foreach (var (name, path) in extra) inputs[name] = FfprobeReader.Input(path);
        return inputs;
    }

    private async Task<RenderPlan> RenderAsync(CompositionSpec spec, IReadOnlyDictionary<string, LocalInput> inputs, string name)
    {
        var plan = planner.Plan(spec, inputs, media.Path(name));
        await harness.Executor.RenderAsync(plan, null, CancellationToken.None);
        return plan;
    }

    /// <summary>Integrated loudness (LUFS) and true peak (dBTP) from ffmpeg's ebur128 meter.</summary>
    private static (double Integrated, double TruePeak) Measure(string path)
    {
        var stderr = FfmpegCli.Run(["-i", path, "-vn", "-af", "ebur128=peak=true", "-f", "null", "-"], logLevel: "info");
        var summary = stderr[stderr.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (Number(IntegratedLine().Match(summary)), Number(PeakLine().Match(summary)));
    }

    private static double BandVolume(string path, int frequency, double start, double seconds)
    {
        var stderr = FfmpegCli.Run(["-ss", Num(start), "-t", Num(seconds), "-i", path, "-vn", "-af", $"bandpass=f={frequency}:width_type=q:w=8,volumedetect", "-f", "null", "-"], logLevel: "info");
        var line = stderr.Split('\n').Last(l => l.Contains("mean_volume:", StringComparison.Ordinal));
        return double.Parse(line[(line.IndexOf("mean_volume:", StringComparison.Ordinal) + 12)..].Replace("dB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }

    private static double Number(Match match) => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"I:\s+(-?[\d.]+) LUFS")]
    private static partial Regex IntegratedLine();

    [GeneratedRegex(@"Peak:\s+(-?[\d.]+) dBFS")]
    private static partial Regex PeakLine();
}
