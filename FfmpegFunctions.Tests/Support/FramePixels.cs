using System.Globalization;

namespace FfmpegFunctions.Tests.Support;

/// <summary>One decoded frame as RGB24, for tests that check what a render shows.</summary>
public sealed class FramePixels
{
    private readonly byte[] rgb;

    private FramePixels(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        this.rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The frame shown at <paramref name="seconds"/> (accurate seek).</summary>
    public static FramePixels At(string path, double seconds, int width, int height)
    {
        var bytes = FfmpegCli.Output(["-i", path, "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        if (bytes.Length != width * height * 3)
            throw new InvalidOperationException($"expected a {width}x{height} frame at {seconds} s of {path}, got {bytes.Length} bytes");
        return new FramePixels(width, height, bytes);
    }

    public (int R, int G, int B) this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 3;
            return (rgb[i], rgb[i + 1], rgb[i + 2]);
        }
    }

    /// <summary>Mean luma (0-255) of a rectangle.</summary>
    public double Luma(int x, int y, int w, int h)
    {
        double sum = 0;
        for (var j = y; j < y + h; j++)
            for (var i = x; i < x + w; i++)
            {
                var (r, g, b) = this[i, j];
                sum += (0.299 * r) + (0.587 * g) + (0.114 * b);
            }
        return sum / (w * h);
    }

    /// <summary>Pixels in a rectangle brighter than <paramref name="threshold"/> luma.</summary>
    public int Bright(int x, int y, int w, int h, int threshold = 200)
    {
        var count = 0;
        for (var j = y; j < y + h; j++)
            for (var i = x; i < x + w; i++)
            {
                var (r, g, b) = this[i, j];
                if ((0.299 * r) + (0.587 * g) + (0.114 * b) > threshold) count++;
            }
        return count;
    }

    public static bool Near((int R, int G, int B) actual, (int R, int G, int B) expected, int tolerance = 40) =>
        Math.Abs(actual.R - expected.R) <= tolerance && Math.Abs(actual.G - expected.G) <= tolerance && Math.Abs(actual.B - expected.B) <= tolerance;
}
