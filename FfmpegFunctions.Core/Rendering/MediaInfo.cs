namespace FfmpegFunctions.Core.Rendering;

/// <summary>What ffprobe tells us about one input, all the planner needs to normalise it.</summary>
/// <param name="Duration">Seconds; null for still images and streams without a known duration.</param>
/// <param name="FrameRate">Average frames per second of the video stream, 0 when unknown.</param>
/// <param name="Rotation">Display rotation in degrees (phones record portrait as rotated landscape).</param>
/// <param name="Streams">Every stream in the file, of any kind.</param>
public sealed record MediaInfo(
    double? Duration,
    bool HasVideo,
    bool HasAudio,
    int Width,
    int Height,
    double FrameRate,
    bool IsStillImage,
    int Rotation = 0,
    string? VideoCodec = null,
    string? AudioCodec = null,
    int Streams = 1);

/// <summary>An input downloaded to local disk, keyed in the plan by the spec's source string.</summary>
public sealed record LocalInput(string Path, MediaInfo Media);
