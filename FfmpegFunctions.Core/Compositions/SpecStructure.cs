using System.Text.Json;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// Checks a JSON document against <see cref="SpecShape"/> and reports every structural problem
/// (unknown or duplicate members, wrong JSON types, bad enum strings, missing members), so a
/// client fixes them all in one round trip instead of one per deserializer exception.
/// </summary>
internal static class SpecStructure
{
    public static IReadOnlyList<SpecError> Check(JsonElement root)
    {
        var errors = new List<SpecError>();
        Check(root, SpecShape.Root, "", errors);
        return errors;
    }

    private static void Check(JsonElement element, SpecShape shape, string pointer, List<SpecError> errors)
    {
        switch (shape)
        {
            case ScalarShape scalar:
                if (!Fits(element, scalar.Kind)) errors.Add(new(pointer, "must be " + Describe(scalar.Kind) + "."));
                break;
            case EnumShape enumeration:
                if (element.ValueKind != JsonValueKind.String || !enumeration.Values.Contains(element.GetString()!))
                    errors.Add(new(pointer, "must be one of: " + string.Join(", ", enumeration.Values) + "."));
                break;
            case ArrayShape array:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new(pointer, "must be an array."));
                    break;
                }
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, array.Item, JsonPointer.Append(pointer, index++), errors);
                }
                break;
            case ObjectShape obj:
                CheckObject(element, obj, pointer, errors);
                break;
            case UnionShape union:
                CheckUnion(element, union, pointer, errors);
                break;
        }
    }

    private static void CheckObject(JsonElement element, ObjectShape shape, string pointer, List<SpecError> errors, string? discriminator = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(pointer, "must be an object."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var at = JsonPointer.Append(pointer, property.Name);
            if (!seen.Add(property.Name))
            {
                // System.Text.Json would silently keep the last one; the client likely meant something else.
                errors.Add(new(at, "appears more than once."));
                continue;
            }
            if (property.Name == discriminator) continue;
            if (!shape.Members.TryGetValue(property.Name, out var member))
            {
                errors.Add(new(at, "is not a known member (names are camelCase and case-sensitive)."));
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (!member.Nullable) errors.Add(new(at, "must not be null."));
                continue;
            }
            Check(property.Value, member.Shape, at, errors);
        }
        foreach (var (name, member) in shape.Members)
        {
            if (member.Required && !seen.Contains(name)) errors.Add(new(JsonPointer.Append(pointer, name), "is required."));
        }
    }

    private static void CheckUnion(JsonElement element, UnionShape union, string pointer, List<SpecError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(pointer, "must be an object."));
            return;
        }
        var at = JsonPointer.Append(pointer, union.Discriminator);
        var kinds = string.Join(", ", union.Variants.Keys.Order(StringComparer.Ordinal));
        if (!element.TryGetProperty(union.Discriminator, out var discriminator))
        {
            errors.Add(new(at, "is required: one of " + kinds + "."));
            return;
        }
        if (discriminator.ValueKind != JsonValueKind.String
            || !union.Variants.TryGetValue(discriminator.GetString()!, out var variant))
        {
            errors.Add(new(at, "must be one of: " + kinds + "."));
            return;
        }
        CheckObject(element, variant, pointer, errors, union.Discriminator);
    }

    private static bool Fits(JsonElement element, ScalarKind kind) => kind switch
    {
        ScalarKind.String => element.ValueKind == JsonValueKind.String,
        ScalarKind.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
        ScalarKind.Integer => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _),
        // Huge literals (1e400) parse to infinity; no spec field means that.
        ScalarKind.Number => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d) && double.IsFinite(d),
        _ => false,
    };

    private static string Describe(ScalarKind kind) => kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Boolean => "true or false",
        ScalarKind.Integer => "a whole number (32-bit)",
        _ => "a finite number",
    };
}
