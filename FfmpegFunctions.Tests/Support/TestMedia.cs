using System.Globalization;

namespace FfmpegFunctions.Tests.Support;

/// <summary>Generates tiny media with ffmpeg's lavfi sources at test time (no media in git).</summary>
public sealed class TestMedia : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-media-" + Guid.NewGuid().ToString("N"));

    public TestMedia() => System.IO.Directory.CreateDirectory(Directory);

    /// <summary>A test-pattern video, optionally with a sine tone, at the given size and rate.</summary>
    public string Video(string name, double seconds = 2, int width = 320, int height = 180, double fps = 25, bool audio = true, int audioChannels = 2)
    {
        var path = Path.Combine(Directory, name);
        var args = new List<string>
        {
            "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={Num(fps)}:duration={Num(seconds)}",
        };
        if (audio)
        {
            var layout = audioChannels == 1 ? "mono" : "stereo";
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={Num(seconds)},aformat=channel_layouts={layout}"]);
        }
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        if (audio) args.AddRange(["-c:a", "aac", "-shortest"]);
        args.Add(path);
        Run(args);
        return path;
    }

    /// <summary>A still image (PNG or JPEG by extension).</summary>
    public string Image(string name, int width = 320, int height = 180, string color = "red")
    {
        var path = Path.Combine(Directory, name);
        Run(["-f", "lavfi", "-i", $"color=c={color}:size={width}x{height}", "-frames:v", "1", path]);
        return path;
    }

    /// <summary>A tone-only audio file.</summary>
    public string Audio(string name, double seconds = 2, int frequency = 660)
    {
        var path = Path.Combine(Directory, name);
        Run(["-f", "lavfi", "-i", $"sine=frequency={frequency}:sample_rate=44100:duration={Num(seconds)}", "-c:a", "aac", path]);
        return path;
    }

    public static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    // Quiet and overwriting, like every other test run of ffmpeg.
    private static void Run(IReadOnlyList<string> args) => FfmpegCli.Run(["-y", .. args]);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
