using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Encoder and muxer options per output format. The container is named with -f so temp paths need no extension.</summary>
internal static class OutputArguments
{
    /// <summary>The video encoder and the container of the final output.</summary>
    public static IEnumerable<string> Video(OutputSpec output) => output.Format switch
    {
        OutputFormat.Webm =>
        [
            "-c:v", "libvpx-vp9", "-crf", Invariant.Number(output.Quality ?? 32), "-b:v", "0",
            "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p",
            "-f", "webm",
        ],
        OutputFormat.Gif => ["-an", "-loop", "0", "-f", "gif"],
        _ =>
        [
            "-c:v", "libx264", "-preset", output.Preset, "-crf", Invariant.Number(output.Quality ?? 23), "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-f", "mp4",
        ],
    };

    /// <summary>The audio encoder of the final output.</summary>
    public static IEnumerable<string> Audio(OutputSpec output) => output.Format switch
    {
        OutputFormat.Webm => ["-c:a", "libopus", "-b:a", $"{Invariant.Number(output.AudioBitrate)}k"],
        _ => ["-c:a", "aac", "-b:a", $"{Invariant.Number(output.AudioBitrate)}k"],
    };

    /// <summary>The container of the final output alone, for a stream-copy join of separately encoded parts.</summary>
    public static IEnumerable<string> Container(OutputSpec output) => output.Format switch
    {
        OutputFormat.Webm => ["-f", "webm"],
        OutputFormat.Gif => ["-f", "gif"],
        _ => ["-movflags", "+faststart", "-f", "mp4"],
    };

    /// <summary>How the mixed audio travels from the audio pass to the final pass: raw 48 kHz stereo float, nothing to probe.</summary>
    public static readonly string[] MixFormat = ["-f", "f32le", "-ar", "48000", "-ac", "2"];
}
