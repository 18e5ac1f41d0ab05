using System.Text;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// ffmpeg parses a filter's arguments twice: the graph parser splits the graph on <c>[ ] , ;</c>
/// (honouring <c>\</c> and <c>'…'</c>), then the filter splits its arguments on <c>:</c> into
/// key=value pairs (again honouring <c>\</c> and <c>'…'</c>). User text must survive both.
/// </summary>
public static class FilterEscaping
{
    private const string OptionSpecials = "\\':=";
    private const string GraphSpecials = "\\'[],;";

    /// <summary>
    /// Level 1: one option value. Values with specials (or edge whitespace, which ffmpeg trims) are
    /// single-quoted; inside quotes everything is literal, and a quote is closed, escaped and reopened.
    /// </summary>
    public static string OptionValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needsQuotes = value.Length == 0
            || value.AsSpan().IndexOfAny(OptionSpecials) >= 0
            || char.IsWhiteSpace(value[0])
            || char.IsWhiteSpace(value[^1]);
        return needsQuotes ? "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : value;
    }

    /// <summary>Level 2: a filter's whole argument string as it sits in the graph text.</summary>
    public static string GraphArguments(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.AsSpan().IndexOfAny(GraphSpecials) < 0) return arguments;

        var escaped = new StringBuilder(arguments.Length + 8);
        foreach (var c in arguments)
        {
            if (GraphSpecials.Contains(c, StringComparison.Ordinal)) escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
