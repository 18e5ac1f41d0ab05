using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>
/// Turns the configured ffmpeg/ffprobe into runnable paths. Zip deployments drop the exec bit and
/// wwwroot can be read-only, so a binary without it is copied once into a private directory and
/// made executable there. One instance per process (a singleton); results are cached per instance.
/// </summary>
public sealed class FfmpegLocator(IOptions<FfmpegOptions> options, ILogger<FfmpegLocator> logger)
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly Lock gate = new();
    private string? ffmpeg;
    private string? ffprobe;

    /// <summary>A runnable path to ffmpeg (may be a private executable copy).</summary>
    public string GetFfmpegPath() => Get(ref ffmpeg, options.Value.FfmpegPath, "Ffmpeg:FfmpegPath");

    /// <summary>A runnable path to ffprobe (may be a private executable copy).</summary>
    public string GetFfprobePath() => Get(ref ffprobe, options.Value.FfprobePath, "Ffmpeg:FfprobePath");

    private string Get(ref string? cached, string configured, string setting)
    {
        if (Volatile.Read(ref cached) is { } known) return known;
        // One lock for both binaries: this runs once per binary per process, contention is irrelevant.
        lock (gate)
        {
            if (cached is not null) return cached;
            var resolved = Resolve(configured)
                ?? throw new FileNotFoundException($"{setting} '{configured}' was not found: set {setting} to an existing file or to a name on PATH.", configured);
            var runnable = EnsureExecutable(resolved);
            RenderingLog.BinaryResolved(logger, setting, configured, runnable);
            Volatile.Write(ref cached, runnable);
            return runnable;
        }
    }

    /// <summary>The full path of a configured binary, or null when it does not exist. Pure lookup, no copying.</summary>
    internal static string? Resolve(string configured)
    {
        if (string.IsNullOrWhiteSpace(configured)) return null;
        var looksLikePath = Path.IsPathRooted(configured)
            || configured.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || configured.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal);
        if (looksLikePath)
        {
            // Relative to the app, not the working directory, which hosts choose freely.
            var full = Path.GetFullPath(configured, AppContext.BaseDirectory);
            return File.Exists(full) ? full : null;
        }

        var names = OperatingSystem.IsWindows() && !configured.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? new[] { configured + ".exe", configured }
            : [configured];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private string EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0) return path;

        // Keyed by path, size and mtime so a redeployed binary gets a fresh copy and an unchanged one is reused.
        var source = new FileInfo(path);
        var key = $"{source.FullName}|{source.Length}|{source.LastWriteTimeUtc.Ticks}";
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)).ToString("x16", CultureInfo.InvariantCulture);
        var directory = Path.Combine(options.Value.TempDirectory, "ffmpegfunctions-bin", hash);
        var target = Path.Combine(directory, source.Name);
        if (File.Exists(target) && new FileInfo(target).Length == source.Length && (File.GetUnixFileMode(target) & AnyExecute) != 0)
        {
            return target;
        }

        Directory.CreateDirectory(directory);
        // Copy under a unique name and rename into place, so other processes never run a half-written file.
        var partial = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.Copy(path, partial);
            File.SetUnixFileMode(partial, Executable);
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
        RenderingLog.BinaryCopiedExecutable(logger, path, target);
        return target;
    }
}
