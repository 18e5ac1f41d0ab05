using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Segments;

/// <summary>Sources for the seam tests, made once per class: a moving test pattern long enough to be cut inside.</summary>
public sealed class SegmentMediaFixture : IDisposable
{
    private readonly TestMedia _media = new();

    public SegmentMediaFixture()
    {
        Inputs = new Dictionary<string, LocalInput>
        {
            ["short"] = FfprobeReader.Input(_media.Video("short.mp4", seconds: 2, fps: 25)),
            // 24 fps into a 25 fps output: the fps filter picks source frames by rounding, which a seek must not change.
            ["long"] = FfprobeReader.Input(_media.Video("long.mp4", seconds: 6, fps: 24)),
            ["pip"] = FfprobeReader.Input(_media.Video("pip.mp4", seconds: 2, width: 160, height: 90, fps: 30, audio: false)),
            ["logo"] = FfprobeReader.Input(_media.Image("logo.png", 48, 48, "yellow")),
            ["music"] = FfprobeReader.Input(_media.Audio("music.m4a", seconds: 3)),
            ["photo"] = FfprobeReader.Input(Photo()),
        };
    }

    public IReadOnlyDictionary<string, LocalInput> Inputs { get; }

    /// <summary>A still with detail everywhere (a zoom over a flat colour would look the same at any framing).</summary>
    private string Photo()
    {
        var path = Path.Combine(_media.Directory, "photo.png");
        FfmpegCli.Run(["-f", "lavfi", "-i", "testsrc2=size=640x360", "-frames:v", "1", path]);
        return path;
    }

    public void Dispose() => _media.Dispose();
}
