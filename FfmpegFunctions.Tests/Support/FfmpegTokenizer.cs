namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// A port of libavutil's av_get_token, the tokenizer ffmpeg uses at both escaping levels,
/// so escaping can be checked by parsing it back the way ffmpeg does.
/// </summary>
public static class FfmpegTokenizer
{
    private const string Whitespace = " \n\t\r";

    /// <summary>Reads one token from <paramref name="text"/> at <paramref name="position"/>, stopping at any of <paramref name="terminators"/>.</summary>
    public static string GetToken(string text, ref int position, string terminators)
    {
        var output = new System.Text.StringBuilder();
        var end = 0;
        var p = position;
        while (p < text.Length && Whitespace.Contains(text[p], StringComparison.Ordinal)) p++;
        while (p < text.Length && !terminators.Contains(text[p], StringComparison.Ordinal))
        {
            var c = text[p++];
            if (c == '\\' && p < text.Length)
            {
                output.Append(text[p++]);
                end = output.Length;
            }
            else if (c == '\'')
            {
                while (p < text.Length && text[p] != '\'') output.Append(text[p++]);
                if (p < text.Length)
                {
                    p++;
                    end = output.Length;
                }
            }
            else
            {
                output.Append(c);
            }
        }
        // Trailing unescaped whitespace is dropped, as in ffmpeg.
        var length = output.Length;
        while (length > end && Whitespace.Contains(output[length - 1], StringComparison.Ordinal)) length--;
        position = p;
        return output.ToString(0, length);
    }

    /// <summary>Parses "name=args" the way the graph parser and then the filter's option parser do.</summary>
    public static (string Name, IReadOnlyList<KeyValuePair<string, string>> Options, int Consumed) ParseFilter(string text)
    {
        var position = 0;
        var name = GetToken(text, ref position, "=,;[");
        var options = new List<KeyValuePair<string, string>>();
        if (position < text.Length && text[position] == '=')
        {
            position++;
            var arguments = GetToken(text, ref position, "[],;");
            var at = 0;
            while (at < arguments.Length)
            {
                var equals = arguments.IndexOf('=', at);
                var key = arguments[at..equals];
                at = equals + 1;
                var value = GetToken(arguments, ref at, ":");
                options.Add(KeyValuePair.Create(key, value));
                if (at < arguments.Length && arguments[at] == ':') at++;
            }
        }
        return (name, options, position);
    }
}
