using System.Globalization;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>Caption colours: #RRGGBB[AA] or a few names, so they convert exactly to libass's &amp;HAABBGGRR.</summary>
public readonly record struct CaptionColor(byte R, byte G, byte B, byte A)
{
    private static readonly Dictionary<string, CaptionColor> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["white"] = new(255, 255, 255, 255),
        ["black"] = new(0, 0, 0, 255),
        ["yellow"] = new(255, 255, 0, 255),
        ["red"] = new(255, 0, 0, 255),
        ["green"] = new(0, 128, 0, 255),
        ["blue"] = new(0, 0, 255, 255),
        ["cyan"] = new(0, 255, 255, 255),
        ["magenta"] = new(255, 0, 255, 255),
        ["gray"] = new(128, 128, 128, 255),
        ["orange"] = new(255, 165, 0, 255),
    };

    public static IEnumerable<string> Names => Named.Keys;

    public static bool TryParse(string? value, out CaptionColor color)
    {
        color = default;
        if (value is null) return false;
        if (Named.TryGetValue(value, out color)) return true;
        if (value.Length is not (7 or 9) || value[0] != '#' || value.AsSpan(1).ContainsAnyExcept("0123456789abcdefABCDEF")) return false;
        byte Part(int i) => byte.Parse(value.AsSpan(1 + (i * 2), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        color = new CaptionColor(Part(0), Part(1), Part(2), value.Length == 9 ? Part(3) : (byte)255);
        return true;
    }

    /// <summary>libass colour: &amp;HAABBGGRR with AA as transparency (00 opaque).</summary>
    public string ToAss() => string.Create(CultureInfo.InvariantCulture, $"&H{255 - A:X2}{B:X2}{G:X2}{R:X2}");
}
