using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Tests.Rendering.Planning;

/// <summary>Hand-made probe results for unit tests that never touch ffmpeg.</summary>
internal static class PlannerSpecs
{
    public static LocalInput Video(string path, double duration, bool audio = true) =>
        new(path, new MediaInfo(duration, HasVideo: true, HasAudio: audio, 320, 180, 25, IsStillImage: false));

    public static LocalInput Still(string path) =>
        new(path, new MediaInfo(null, HasVideo: true, HasAudio: false, 320, 180, 0, IsStillImage: true));

    public static LocalInput Music(string path, double duration) =>
        new(path, new MediaInfo(duration, HasVideo: false, HasAudio: true, 0, 0, 0, IsStillImage: false));

    public static CompositionSpec Spec(params ClipSpec[] clips) => new()
    {
        Output = new OutputSpec { Width = 320, Height = 180, Fps = 30, Preset = "ultrafast" },
        Clips = clips,
    };

    public static ClipSpec Clip(string source, double? start = null, double? end = null, double? duration = null, TransitionSpec? transition = null) => new()
    {
        Source = source,
        Trim = start is null && end is null ? null : new TrimSpec { Start = start ?? 0, End = end },
        Duration = duration,
        Transition = transition,
    };

    public static TransitionSpec Fade(double duration, string type = "fade") => new() { Type = type, Duration = duration };
}
