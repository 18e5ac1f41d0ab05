using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Captions;

/// <summary>One cue: seconds on the output timeline and its text lines (markup removed, text otherwise as written).</summary>
public sealed record CaptionCue(double Start, double End, IReadOnlyList<string> Lines);

/// <summary>A problem in a captions file, with its 1-based line number.</summary>
public sealed record CaptionError(int Line, string Message)
{
    public override string ToString() => $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}";
}

public sealed record CaptionParseResult(IReadOnlyList<CaptionCue> Cues, IReadOnlyList<CaptionError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Strict SRT and WebVTT reading: every malformed cue is reported with its line number, so a bad file fails
/// when the inputs are probed, before any encoding. Styling markup (&lt;i&gt;, &lt;c.x&gt;, &lt;v Name&gt;, {\an8})
/// is dropped: captions render in the composition's style and their text is always literal.
/// </summary>
public static partial class CaptionFile
{
    public static CaptionParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        var vtt = lines.Length > 0 && (lines[0] == "WEBVTT" || lines[0].StartsWith("WEBVTT ", StringComparison.Ordinal) || lines[0].StartsWith("WEBVTT\t", StringComparison.Ordinal));
        var cues = new List<CaptionCue>();
        var errors = new List<CaptionError>();
        var i = vtt ? SkipHeader(lines) : 0;
        while (i < lines.Length && errors.Count < 50)
        {
            if (lines[i].Trim().Length == 0) { i++; continue; }
            var blockStart = i;
            // A block: [id line] timing line, then text lines up to a blank line.
            var block = new List<string>();
            while (i < lines.Length && lines[i].Trim().Length > 0) block.Add(lines[i++]);
            if (vtt && (block[0].StartsWith("NOTE", StringComparison.Ordinal) || block[0] is "STYLE" or "REGION")) continue;
            ReadCue(block, blockStart + 1, vtt, cues, errors);
        }
        if (errors.Count == 0 && cues.Count == 0) errors.Add(new(1, vtt ? "the WebVTT file holds no cues." : "the file holds no SRT cues (is it SRT or WebVTT?)."));
        if (cues.Count > SpecLimits.MaxCaptionCues) errors.Add(new(1, $"the file holds {cues.Count} cues; at most {SpecLimits.MaxCaptionCues} are allowed."));
        return new CaptionParseResult(cues, errors);
    }

    private static int SkipHeader(string[] lines)
    {
        var i = 1;
        while (i < lines.Length && lines[i].Trim().Length > 0) i++; // header metadata lines
        return i;
    }

    private static void ReadCue(List<string> block, int firstLine, bool vtt, List<CaptionCue> cues, List<CaptionError> errors)
    {
        var timingIndex = block[0].Contains("-->", StringComparison.Ordinal) ? 0 : 1;
        if (!vtt && timingIndex == 1 && !int.TryParse(block[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            errors.Add(new(firstLine, $"expected a cue number or a timing line (00:00:01,000 --> 00:00:02,500), found '{Shorten(block[0])}'."));
            return;
        }
        if (timingIndex >= block.Count)
        {
            errors.Add(new(firstLine, "the cue has no timing line."));
            return;
        }
        var timingLine = firstLine + timingIndex;
        var timing = Timing().Match(block[timingIndex]);
        if (!timing.Success)
        {
            errors.Add(new(timingLine, $"expected a timing line such as {(vtt ? "00:01.000 --> 00:02.500" : "00:00:01,000 --> 00:00:02,500")}, found '{Shorten(block[timingIndex])}'."));
            return;
        }
        if (!TryTime(timing.Groups["start"].Value, vtt, out var start) || !TryTime(timing.Groups["end"].Value, vtt, out var end))
        {
            errors.Add(new(timingLine, "a time is out of range (minutes and seconds must be below 60)."));
            return;
        }
        if (end <= start)
        {
            errors.Add(new(timingLine, "the cue ends before it starts."));
            return;
        }
        var textLines = new List<string>();
        for (var k = timingIndex + 1; k < block.Count; k++)
        {
            var line = StripMarkup(block[k]).Trim();
            if (line.Any(c => char.IsControl(c) && c != '\t'))
            {
                errors.Add(new(firstLine + k, "the text holds control characters."));
                return;
            }
            if (line.Length > 0) textLines.Add(line.Replace('\t', ' '));
        }
        if (textLines.Count == 0)
        {
            errors.Add(new(timingLine, "the cue has no text."));
            return;
        }
        if (textLines.Sum(l => l.Length) > SpecLimits.MaxCaptionCueCharacters)
        {
            errors.Add(new(timingLine, $"the cue's text is longer than {SpecLimits.MaxCaptionCueCharacters} characters."));
            return;
        }
        cues.Add(new CaptionCue(start, end, textLines));
    }

    private static bool TryTime(string value, bool vtt, out double seconds)
    {
        seconds = 0;
        var parts = value.Replace(',', '.').Split(':');
        if (parts.Length is < 2 or > 3) return false;
        if (!vtt && parts.Length != 3) return false;
        var hours = parts.Length == 3 ? int.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var secs = double.Parse(parts[^1], CultureInfo.InvariantCulture);
        if (minutes >= 60 || secs >= 60) return false;
        seconds = (hours * 3600) + (minutes * 60) + secs;
        return true;
    }

    private static string StripMarkup(string line)
    {
        var withoutTags = HtmlTag().Replace(line, "");
        withoutTags = AssOverride().Replace(withoutTags, "");
        // WebVTT escapes; SRT files use them too in practice.
        return withoutTags.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&nbsp;", "\u00A0", StringComparison.Ordinal).Replace("&lrm;", "\u200E", StringComparison.Ordinal)
            .Replace("&rlm;", "\u200F", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    private static string Shorten(string line)
    {
        var text = new StringBuilder();
        foreach (var c in line.Take(60)) text.Append(char.IsControl(c) ? '?' : c);
        return line.Length > 60 ? text + "..." : text.ToString();
    }

    /// <summary>SRT: HH:MM:SS,mmm (a dot is tolerated); WebVTT: [HH:]MM:SS.mmm, optionally followed by cue settings.</summary>
    [GeneratedRegex(@"^\s*(?<start>(\d{1,3}:)?\d{2}:\d{2}[,.]\d{3})\s+-->\s+(?<end>(\d{1,3}:)?\d{2}:\d{2}[,.]\d{3})(\s+.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timing();

    [GeneratedRegex(@"</?(i|b|u|c|v|lang|ruby|rt|font)(\.[^\s>]*)?(\s[^>]*)?>|<\d{1,3}:\d{2}[:.][\d.:]+>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\{\\[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex AssOverride();
}
