using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// The JSON shape of spec v1, derived once from the records through <see cref="CompositionJson.Options"/>
/// so a member added to a record is accepted here without a second list to keep in sync.
/// Only "required" is stated by hand: the records give every member a default.
/// </summary>
internal abstract record SpecShape
{
    private static readonly FrozenDictionary<Type, string[]> Required = new Dictionary<Type, string[]>
    {
        [typeof(CompositionSpec)] = ["clips"],
        [typeof(ClipSpec)] = ["source"],
        [typeof(AudioSpec)] = ["source"],
        [typeof(ImageOverlaySpec)] = ["source"],
        [typeof(TextOverlaySpec)] = ["text"],
        [typeof(LayerSpec)] = ["source"],
        [typeof(CaptionsSpec)] = ["source"],
        [typeof(AudioTrackSpec)] = ["source"],
    }.ToFrozenDictionary();

    // Declared after Required: static initializers run in textual order.
    public static ObjectShape Root { get; } = (ObjectShape)new ShapeBuilder().For(typeof(CompositionSpec));

    private sealed class ShapeBuilder
    {
        private readonly NullabilityInfoContext nullability = new();

        public SpecShape For(Type type)
        {
            if (type == typeof(string)) return new ScalarShape(ScalarKind.String);
            if (type == typeof(bool)) return new ScalarShape(ScalarKind.Boolean);
            if (type == typeof(int)) return new ScalarShape(ScalarKind.Integer);
            if (type == typeof(double)) return new ScalarShape(ScalarKind.Number);
            if (type.IsEnum) return EnumFor(type);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                return new ArrayShape(For(type.GetGenericArguments()[0]));

            var info = CompositionJson.Options.GetTypeInfo(type);
            if (info.PolymorphismOptions is { } polymorphism)
            {
                var variants = polymorphism.DerivedTypes.ToFrozenDictionary(
                    d => (string)d.TypeDiscriminator!,
                    d => ObjectFor(d.DerivedType, skip: polymorphism.TypeDiscriminatorPropertyName),
                    StringComparer.Ordinal);
                return new UnionShape(polymorphism.TypeDiscriminatorPropertyName, variants);
            }
            return ObjectFor(type, skip: null);
        }

        private ObjectShape ObjectFor(Type type, string? skip)
        {
            var info = CompositionJson.Options.GetTypeInfo(type);
            var required = Required.GetValueOrDefault(type, []);
            var members = info.Properties
                .Where(p => p.Name != skip)
                .ToFrozenDictionary(p => p.Name, p => MemberFor(p, required.Contains(p.Name)), StringComparer.Ordinal);
            return new ObjectShape(members);
        }

        private Member MemberFor(JsonPropertyInfo property, bool required)
        {
            var underlying = Nullable.GetUnderlyingType(property.PropertyType);
            if (underlying is not null) return new Member(For(underlying), Nullable: true, required);
            var nullable = !property.PropertyType.IsValueType
                && property.AttributeProvider is PropertyInfo p
                && nullability.Create(p).WriteState == NullabilityState.Nullable;
            return new Member(For(property.PropertyType), nullable, required);
        }

        private static EnumShape EnumFor(Type type) =>
            new(Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName).ToArray());
    }
}

internal enum ScalarKind { String, Boolean, Integer, Number }

internal sealed record ScalarShape(ScalarKind Kind) : SpecShape;

/// <summary>Enum values in their JSON spelling, in declaration order (messages list them).</summary>
internal sealed record EnumShape(IReadOnlyList<string> Values) : SpecShape;

internal sealed record ArrayShape(SpecShape Item) : SpecShape;

internal sealed record ObjectShape(FrozenDictionary<string, Member> Members) : SpecShape;

/// <summary>An object whose members depend on a string discriminator (overlays: "type").</summary>
internal sealed record UnionShape(string Discriminator, FrozenDictionary<string, ObjectShape> Variants) : SpecShape;

internal sealed record Member(SpecShape Shape, bool Nullable, bool Required);
