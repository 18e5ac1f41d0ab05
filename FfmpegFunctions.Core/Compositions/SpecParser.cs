using System.Text.Json;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// JSON to a valid <see cref="CompositionSpec"/> or the full list of problems. Structure is checked on
/// the document first because the deserializer stops at the first problem and reports .NET paths.
/// </summary>
public static class SpecParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = SpecLimits.MaxJsonDepth };

    public static SpecParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            return Malformed(ex, System.Text.Encoding.UTF8.GetBytes(json));
        }
    }

    public static SpecParseResult Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            // JsonDocument keeps the memory it parses, so it needs its own copy of the span.
            using var document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            return Malformed(ex, utf8);
        }
    }

    /// <summary>For callers that already hold a parsed document (its depth is the caller's concern).</summary>
    public static SpecParseResult Parse(JsonElement root)
    {
        // First: the structure check and the deserializer read strings, which throws on unpaired surrogates.
        var text = JsonText.Check(root);
        if (text.Count > 0) return new(null, text);
        var structural = SpecStructure.Check(root);
        if (structural.Count > 0) return new(null, structural);

        CompositionSpec? spec;
        try
        {
            spec = root.Deserialize<CompositionSpec>(CompositionJson.Options);
        }
        catch (JsonException ex)
        {
            // The structure check should make this unreachable; if it is not, still answer with a pointer.
            return new(null, [new(JsonPointer.FromPath(ex.Path), ex.Message)]);
        }
        if (spec is null) return new(null, [new("", "must be an object.")]);

        var errors = SpecValidator.Validate(spec);
        return errors.Count == 0 ? new(spec, []) : new(null, errors);
    }

    private static SpecParseResult Malformed(JsonException ex, ReadOnlySpan<byte> utf8) =>
        new(null, [new("", "is not valid JSON: " + Hosting.JsonSyntax.Describe(ex, utf8) + ".")]);
}
