using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FfmpegFunctions.Core.Hosting;

/// <summary>
/// A System.Text.Json syntax error in words a client can act on: "'}' is an invalid start of a value at line 1,
/// column 33", without the reader's vocabulary ("isFinalBlock", "Change the reader options", zero-based byte positions).
/// </summary>
public static class JsonSyntax
{
    /// <summary>What is wrong and where, e.g. "the body ends before every object or array is closed at line 3, column 1".</summary>
    public static string Describe(JsonException error, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(error);
        var what = What(error.Message);
        return error.LineNumber is { } line && error.BytePositionInLine is { } bytes
            ? string.Create(CultureInfo.InvariantCulture, $"{what} at line {line + 1}, column {Column(utf8, line, bytes)}")
            : what;
    }

    private static string What(string message)
    {
        // The reader appends " LineNumber: 0 | BytePositionInLine: 32." and the document parser " Path: $ |".
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        message = message.Trim();

        if (message.Contains("trailing comma", StringComparison.Ordinal))
            return message.Contains("JSON array", StringComparison.Ordinal) ? "a comma before the closing ']'" : "a comma before the closing '}'";
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
            return "the body ends before every object or array is closed";
        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
            return "there is no JSON value in it";
        if (message.StartsWith("Expected end of string", StringComparison.Ordinal))
            return "the body ends inside a string";
        if (message.StartsWith("Expected end of comment", StringComparison.Ordinal) || message.StartsWith("Comments", StringComparison.Ordinal))
            return "a comment (JSON has none)";
        if (message.StartsWith("The maximum configured depth of", StringComparison.Ordinal))
            return "objects and arrays are nested " + string.Concat(message.Skip("The maximum configured depth of ".Length).TakeWhile(char.IsDigit)) + " deep or more";
        if (message.Contains("is invalid after a single JSON value", StringComparison.Ordinal))
            return message[..message.IndexOf(" is invalid", StringComparison.Ordinal)] + " after the end of the JSON value (send one value)";

        // Otherwise the reader's first sentence is plain enough ("'x' is an invalid start of a value"); a following
        // "Expected ..." sentence says what would do.
        var sentences = message.Split(". ", 2, StringSplitOptions.None);
        var first = sentences[0].TrimEnd('.');
        return sentences.Length > 1 && sentences[1].StartsWith("Expected", StringComparison.Ordinal)
            ? first + "; e" + sentences[1][1..].TrimEnd('.')
            : first;
    }

    /// <summary>One-based character column: the reader counts bytes from zero, and a line may hold non-ASCII text.</summary>
    private static long Column(ReadOnlySpan<byte> utf8, long line, long bytesInLine)
    {
        var start = 0;
        for (long seen = 0; seen < line; seen++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0) return bytesInLine + 1;
            start += next + 1;
        }
        var length = (int)Math.Min(bytesInLine, utf8.Length - start);
        return Encoding.UTF8.GetCharCount(utf8.Slice(start, length)) + 1;
    }
}
