using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Templates;

/// <summary>
/// Fills a template's <c>{{placeholders}}</c> with values. Pure. Placeholders live only inside JSON
/// strings: a string that is exactly one placeholder takes the value with its type (so
/// <c>"width": "{{width}}"</c> becomes a number), a placeholder inside longer text is replaced by the
/// value's text. Values are inserted as JSON values, never spliced into JSON text, so a value can
/// only ever be the literal it is: quotes, braces and filter syntax in it stay text.
/// </summary>
public static partial class TemplateMerger
{
    public const int MaxPlaceholderNameLength = 64;

    /// <summary>Every placeholder the template uses, with the JSON pointers of the strings that use it, in first-use order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders(JsonElement template)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Walk(template, "", (pointer, text) =>
        {
            foreach (Match match in PlaceholderPattern().Matches(text))
            {
                var name = match.Groups["name"].Value;
                if (!found.TryGetValue(name, out var pointers)) found[name] = pointers = [];
                if (!pointers.Contains(pointer)) pointers.Add(pointer);
            }
        });
        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The merged document, or the problems: each missing value by name, each value that is no placeholder, each value of the wrong kind.</summary>
    public static MergeResult Merge(JsonElement template, IReadOnlyDictionary<string, JsonElement> values)
    {
        var placeholders = Placeholders(template);
        var errors = new List<SpecError>();
        foreach (var (name, pointers) in placeholders)
        {
            if (!values.ContainsKey(name))
                errors.Add(new(ValuePointer(name), $"is missing: the template uses {{{{{name}}}}} at {string.Join(", ", pointers)}."));
        }
        foreach (var (name, value) in values)
        {
            if (!placeholders.ContainsKey(name))
                errors.Add(new(ValuePointer(name), $"is not a placeholder of this template (it uses: {string.Join(", ", placeholders.Keys.DefaultIfEmpty("none"))})."));
            else if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                errors.Add(new(ValuePointer(name), "must be a string, a number or a boolean."));
        }
        if (errors.Count > 0) return new MergeResult(null, errors);
        return new MergeResult(Fill(template, values), []);
    }

    /// <summary>
    /// The merged spec's errors, each one at a string that a placeholder filled also reported at <c>/values/name</c>:
    /// the user gave the value there, while the spec pointer says where it landed (a bad <c>{{width}}</c> shows under
    /// both <c>/output/width</c> and <c>/values/width</c>).
    /// </summary>
    public static IReadOnlyList<SpecError> WithValuePointers(IReadOnlyList<SpecError> errors, JsonElement template)
    {
        var placeholders = Placeholders(template);
        var result = new List<SpecError>(errors);
        foreach (var error in errors)
        {
            foreach (var (name, pointers) in placeholders)
            {
                if (pointers.Contains(error.Pointer, StringComparer.Ordinal))
                    result.Add(new SpecError(ValuePointer(name), $"{error.Message.TrimEnd('.')} (the value lands at {error.Pointer})."));
            }
        }
        return result;
    }

    private static JsonNode? Fill(JsonElement element, IReadOnlyDictionary<string, JsonElement> values) => element.ValueKind switch
    {
        JsonValueKind.Object => new JsonObject(element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Fill(p.Value, values)))),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(e => Fill(e, values))]),
        JsonValueKind.String => FillString(element.GetString()!, values),
        _ => JsonNode.Parse(element.GetRawText()),
    };

    private static JsonNode FillString(string text, IReadOnlyDictionary<string, JsonElement> values)
    {
        var matches = PlaceholderPattern().Matches(text);
        if (matches.Count == 0) return JsonValue.Create(text);
        // The whole string is one placeholder: the value keeps its JSON type.
        if (matches.Count == 1 && matches[0].Length == text.Length)
            return JsonNode.Parse(values[matches[0].Groups["name"].Value].GetRawText())!;

        var merged = new StringBuilder(text.Length);
        var last = 0;
        foreach (Match match in matches)
        {
            merged.Append(text, last, match.Index - last).Append(Text(values[match.Groups["name"].Value]));
            last = match.Index + match.Length;
        }
        merged.Append(text, last, text.Length - last);
        return JsonValue.Create(merged.ToString());
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        _ => "false",
    };

    private static void Walk(JsonElement element, string pointer, Action<string, string> onString)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Walk(property.Value, JsonPointer.Append(pointer, property.Name), onString);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, JsonPointer.Append(pointer, index++), onString);
                break;
            case JsonValueKind.String:
                onString(pointer, element.GetString()!);
                break;
        }
    }

    private static string ValuePointer(string name) => JsonPointer.Append("/values", name);

    /// <summary>{{name}}: a letter or underscore, then letters, digits, _ . -; anything else between braces stays text.</summary>
    [GeneratedRegex(@"\{\{(?<name>[A-Za-z_][A-Za-z0-9_.\-]{0,63})\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}

/// <summary>A merged spec document, or why it could not be merged (pointers under /values).</summary>
public sealed record MergeResult(JsonNode? Merged, IReadOnlyList<SpecError> Errors);
