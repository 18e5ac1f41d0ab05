using System.Globalization;
using System.Text;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Captions;

/// <summary>
/// Writes validated cues as an Advanced SubStation file in the composition's style, for ffmpeg's ass
/// filter. Text is made literal for libass: braces are escaped (\{ \}), and a backslash that would start
/// \N, \n or \h gets a word joiner after it, so no cue can carry override tags or line-break codes.
/// </summary>
public static class AssDocument
{
    private const string WordJoiner = "\u2060";

    public static string Build(IReadOnlyList<CaptionCue> cues, CaptionsSpec style, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(cues);
        ArgumentNullException.ThrowIfNull(style);
        CaptionColor.TryParse(style.Color, out var primary);
        CaptionColor.TryParse(style.OutlineColor, out var outline);
        CaptionColor.TryParse(style.BoxColor, out var box);
        var alignment = style.Position switch { CaptionPosition.Top => 8, CaptionPosition.Center => 5, _ => 2 };
        // BorderStyle 3 draws an opaque box (in OutlineColour) instead of an outline.
        var (borderStyle, outlineColour, outlineWidth) = style.Box ? (3, box, Math.Max(2, style.FontSize / 6)) : (1, outline, style.Outline);
        var text = new StringBuilder();
        text.Append("[Script Info]\nScriptType: v4.00+\n")
            .Append(CultureInfo.InvariantCulture, $"PlayResX: {width}\nPlayResY: {height}\n")
            .Append("WrapStyle: 0\nScaledBorderAndShadow: yes\n\n")
            .Append("[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n")
            .Append(CultureInfo.InvariantCulture,
                $"Style: Default,{style.Font},{style.FontSize},{primary.ToAss()},{primary.ToAss()},{outlineColour.ToAss()},{box.ToAss()},0,0,0,0,100,100,0,0,{borderStyle},{outlineWidth},0,{alignment},{style.Margin},{style.Margin},{style.Margin},1\n\n")
            .Append("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
        foreach (var cue in cues)
        {
            text.Append("Dialogue: 0,").Append(Time(cue.Start)).Append(',').Append(Time(cue.End)).Append(",Default,,0,0,0,,")
                .AppendJoin("\\N", cue.Lines.Select(Literal)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Text libass shows as written.</summary>
    public static string Literal(string line)
    {
        var literal = new StringBuilder(line.Length + 4);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case '{': literal.Append("\\{"); break;
                case '}': literal.Append("\\}"); break;
                case '\\':
                    literal.Append('\\');
                    if (i + 1 < line.Length && line[i + 1] is 'N' or 'n' or 'h' or '{' or '}') literal.Append(WordJoiner);
                    break;
                default: literal.Append(c); break;
            }
        }
        return literal.ToString();
    }

    /// <summary>H:MM:SS.cc, ASS's centisecond clock.</summary>
    private static string Time(double seconds)
    {
        var centis = (long)Math.Round(seconds * 100, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{centis / 360000}:{centis / 6000 % 60:00}:{centis / 100 % 60:00}.{centis % 100:00}");
    }
}
