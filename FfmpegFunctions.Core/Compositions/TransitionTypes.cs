using System.Collections.Frozen;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>The xfade transitions present in ffmpeg 5.1 that we accept.</summary>
public static class TransitionTypes
{
    public static readonly FrozenSet<string> Supported = new[]
    {
        "fade", "fadeblack", "fadewhite", "dissolve", "distance",
        "wipeleft", "wiperight", "wipeup", "wipedown",
        "slideleft", "slideright", "slideup", "slidedown",
        "smoothleft", "smoothright", "smoothup", "smoothdown",
        "circlecrop", "rectcrop", "circleopen", "circleclose",
        "vertopen", "vertclose", "horzopen", "horzclose",
        "diagtl", "diagtr", "diagbl", "diagbr",
        "hlslice", "hrslice", "vuslice", "vdslice",
        "pixelize", "radial", "hblur", "fadegrays",
        "squeezeh", "squeezev",
    }.ToFrozenSet(StringComparer.Ordinal);
}
