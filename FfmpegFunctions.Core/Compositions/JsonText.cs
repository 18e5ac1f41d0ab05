using System.Globalization;
using System.Text.Json;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// The characters no string of a request body may hold, checked once on the parsed document before anything reads
/// its strings: every member name and string value of compositions, templates, template values and uploads.
/// <list type="bullet">
/// <item>NUL: PostgreSQL text and jsonb cannot store it (SQLSTATE 22021 / 22P05), and C strings (ffmpeg) end at it.</item>
/// <item>Unpaired UTF-16 surrogates (a lone "\ud800" escape) and bytes that are not UTF-8: they are not text, have no
/// UTF-8 form to store, and System.Text.Json throws when a string holding them is read.</item>
/// <item>The other C0 controls except tab, line feed and carriage return: no field (titles, names, keys, colours,
/// URLs, drawn text) has a use for them, they are invisible in the console and logs, and ESC sequences reach terminals
/// that tail the logs. Tab and line breaks stay legal here because they are ordinary in text; drawn text is stricter
/// still (<see cref="SpecText.HasForbiddenControl"/>: only line feed, which drawtext breaks lines on).</item>
/// </list>
/// </summary>
internal static class JsonText
{
    /// <summary>Every string that cannot be taken, at the pointer of its member (a member name that is not text: at its object).</summary>
    public static IReadOnlyList<SpecError> Check(JsonElement root, string pointer = "")
    {
        var errors = new List<SpecError>();
        Walk(root, pointer, errors);
        return errors;
    }

    private static void Walk(JsonElement element, string pointer, List<SpecError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new(pointer, "has a member name that is not valid Unicode text (an unpaired surrogate or bytes that are not UTF-8)."));
                        continue;
                    }
                    var at = JsonPointer.Append(pointer, name);
                    if (Problem(name) is { } problem) errors.Add(new(pointer, $"has a member name that {problem}"));
                    else Walk(property.Value, at, errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, JsonPointer.Append(pointer, index++), errors);
                break;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new(pointer, "is not valid Unicode text (an unpaired surrogate or bytes that are not UTF-8)."));
                    break;
                }
                if (Problem(text) is { } bad) errors.Add(new(pointer, bad));
                break;
        }
    }

    /// <summary>Why the text cannot be taken, or null. The reader already refused unpaired surrogates; they are checked again for text from elsewhere.</summary>
    internal static string? Problem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' && c is not ('\t' or '\n' or '\r'))
                return $"contains the control character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}, which no field accepts (tab, line feed and carriage return are the only ones allowed).";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c))
                return $"contains an unpaired UTF-16 surrogate U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}, which is not text.";
        }
        return null;
    }
}
