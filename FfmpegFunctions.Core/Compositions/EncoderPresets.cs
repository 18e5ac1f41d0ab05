using System.Collections.Frozen;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>The x264 speed presets a spec may name; the planner maps them for other encoders.</summary>
public static class EncoderPresets
{
    /// <summary>Fastest (largest files) first, as x264 documents them.</summary>
    public static IReadOnlyList<string> FastestFirst { get; } =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static readonly FrozenSet<string> Supported = FastestFirst.ToFrozenSet(StringComparer.Ordinal);
}
