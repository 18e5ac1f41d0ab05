using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Tiny sources made once per test class, probed the way production probes them.</summary>
public sealed class PlanningMediaFixture : IDisposable
{
    private readonly TestMedia _media = new();

    public PlanningMediaFixture()
    {
        var landscape = _media.Video("landscape.mp4", seconds: 2, width: 320, height: 180, fps: 25);
        // A phone-style portrait: landscape pixels with a 90° display matrix, which ffmpeg autorotates.
        var rotated = OutputPath("rotated.mp4");
        FfmpegCli.Run(["-i", landscape, "-c", "copy", "-metadata:s:v", "rotate=90", rotated]);
        Inputs = new Dictionary<string, LocalInput>
        {
            ["rotated"] = FfprobeReader.Input(rotated),
            ["landscape"] = FfprobeReader.Input(landscape),
            ["portrait"] = FfprobeReader.Input(_media.Video("portrait.mp4", seconds: 2, width: 180, height: 320, fps: 30, audio: false)),
            ["mono"] = FfprobeReader.Input(_media.Video("mono.mp4", seconds: 2, width: 240, height: 180, fps: 24, audioChannels: 1)),
            ["small"] = FfprobeReader.Input(_media.Video("small.mp4", seconds: 1, width: 160, height: 90, fps: 25)),
            ["still"] = FfprobeReader.Input(_media.Image("still.png", 320, 180, "blue")),
            ["logo"] = FfprobeReader.Input(_media.Image("logo.png", 64, 64, "yellow")),
            ["music"] = FfprobeReader.Input(_media.Audio("music.m4a", seconds: 0.7)),
        };
    }

    public IReadOnlyDictionary<string, LocalInput> Inputs { get; }

    public string OutputPath(string name) => Path.Combine(_media.Directory, name);

    public void Dispose() => _media.Dispose();
}
