using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Encoder and muxer options per output format. The container is named with -f so temp paths need no extension.</summary>
internal static class OutputArguments
{
    public static IEnumerable<string> For(OutputSpec output) => output.Format switch
    {
        OutputFormat.Webm =>
        [
            "-c:v", "libvpx-vp9", "-crf", Invariant.Number(output.Quality ?? 32), "-b:v", "0",
            "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p",
            "-c:a", "libopus", "-b:a", $"{Invariant.Number(output.AudioBitrate)}k",
            "-f", "webm",
        ],
        OutputFormat.Gif => ["-an", "-loop", "0", "-f", "gif"],
        _ =>
        [
            "-c:v", "libx264", "-preset", output.Preset, "-crf", Invariant.Number(output.Quality ?? 23), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", $"{Invariant.Number(output.AudioBitrate)}k",
            "-movflags", "+faststart", "-f", "mp4",
        ],
    };
}
