using System.Collections.Frozen;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>The x264 speed presets a spec may name; the planner maps them for other encoders.</summary>
public static class EncoderPresets
{
    public static readonly FrozenSet<string> Supported = new[]
    {
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
    }.ToFrozenSet(StringComparer.Ordinal);
}
