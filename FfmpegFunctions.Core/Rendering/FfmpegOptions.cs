using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>Where the ffmpeg binaries live and how renders use the machine. Section "Ffmpeg".</summary>
public sealed class FfmpegOptions
{
    public const string SectionName = "Ffmpeg";

    /// <summary>A name looked up on PATH, or a file path (relative paths are relative to the app's base directory).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ffmpeg:FfmpegPath is required (a name on PATH or a file path).")]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Ffmpeg:FfprobePath is required (a name on PATH or a file path).")]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Parent of per-render working directories and of executable copies of the binaries.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ffmpeg:TempDirectory is required.")]
    public string TempDirectory { get; set; } = Path.GetTempPath();

    /// <summary>Encoder and filter threads; 0 lets ffmpeg decide (usually one per core).</summary>
    [Range(0, 256, ErrorMessage = "Ffmpeg:Threads must be between 0 and 256.")]
    public int Threads { get; set; }

    /// <summary>How long to wait for a killed ffmpeg to exit before giving up on it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Ffmpeg:KillTimeout must be between 100 ms and 1 minute.")]
    public TimeSpan KillTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
