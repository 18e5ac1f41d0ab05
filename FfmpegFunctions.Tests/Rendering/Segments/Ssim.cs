using System.Globalization;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Segments;

/// <summary>ffmpeg's ssim and psnr filters, per frame.</summary>
internal static class Ssim
{
    /// <summary>The average PSNR (dB) of every frame against the same frame of the reference; infinity where identical.</summary>
    public static List<double> PsnrPerFrame(string path, string reference)
    {
        var stats = Path.Combine(Path.GetTempPath(), $"psnr-{Guid.NewGuid():N}.log");
        try
        {
            FfmpegCli.Run(["-i", path, "-i", reference, "-lavfi", $"[0:v][1:v]psnr=stats_file={stats}", "-f", "null", "-"]);
            return [.. File.ReadLines(stats)
                .Select(line => line.Split(' ').Single(f => f.StartsWith("psnr_avg:", StringComparison.Ordinal))[9..])
                .Select(v => v == "inf" ? double.PositiveInfinity : double.Parse(v, CultureInfo.InvariantCulture))];
        }
        finally
        {
            File.Delete(stats);
        }
    }

    /// <summary>The "All" SSIM of every frame of <paramref name="path"/> against the same frame of <paramref name="reference"/>.</summary>
    /// <param name="crop">Only this region (crop's w:h:x:y), when given.</param>
    public static List<double> PerFrame(string path, string reference, string? crop = null)
    {
        var prepare = crop is null ? "" : $"crop={crop},";
        var stats = Path.Combine(Path.GetTempPath(), $"ssim-{Guid.NewGuid():N}.log");
        try
        {
            FfmpegCli.Run(["-i", path, "-i", reference, "-lavfi", $"[0:v]{prepare}null[a];[1:v]{prepare}null[b];[a][b]ssim=stats_file={stats}", "-f", "null", "-"]);
            return [.. File.ReadLines(stats)
                .Select(line => line.Split(' ').Single(f => f.StartsWith("All:", StringComparison.Ordinal))[4..])
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
