using System.Globalization;
using System.Text.RegularExpressions;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>Text rules shared by titles and text overlays.</summary>
internal static partial class SpecText
{
    /// <summary>Length in text elements (what a person sees as a character), not UTF-16 units.</summary>
    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>Newlines break lines in drawtext; every other control character is refused.</summary>
    public static bool HasForbiddenControl(string text) => text.Any(c => char.IsControl(c) && c != '\n');

    /// <summary>An ffmpeg colour: a name with an optional @alpha, or #RRGGBB[AA].</summary>
    public static bool IsColor(string? color) => color is not null && (NamedColor().IsMatch(color) || HexColor().IsMatch(color));

    /// <summary>A plain fontconfig family name; no patterns, paths or ':' options.</summary>
    public static bool IsFontFamily(string? font) => font is not null && FontFamily().IsMatch(font);

    [GeneratedRegex(@"^[a-zA-Z]+(@[0-9.]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamedColor();

    [GeneratedRegex(@"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^[A-Za-z0-9 _-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FontFamily();
}
