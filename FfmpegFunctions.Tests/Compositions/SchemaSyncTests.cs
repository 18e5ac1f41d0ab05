using System.Text.Json;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

/// <summary>docs/composition.schema.json is hand-written; these tests keep it in step with the records.</summary>
public sealed class SchemaSyncTests
{
    private static JsonElement Schema { get; } = LoadSchema();

    public static TheoryData<string, Type> Definitions => new()
    {
        { "output", typeof(OutputSpec) },
        { "clip", typeof(ClipSpec) },
        { "trim", typeof(TrimSpec) },
        { "transition", typeof(TransitionSpec) },
        { "audio", typeof(AudioSpec) },
        { "imageOverlay", typeof(ImageOverlaySpec) },
        { "textOverlay", typeof(TextOverlaySpec) },
        { "thumbnail", typeof(ThumbnailSpec) },
        { "layer", typeof(LayerSpec) },
        { "captions", typeof(CaptionsSpec) },
        { "motion", typeof(MotionSpec) },
        { "motionFrame", typeof(MotionFrame) },
        { "audioTrack", typeof(AudioTrackSpec) },
        { "ducking", typeof(DuckingSpec) },
        { "loudness", typeof(LoudnessSpec) },
    };

    [Fact]
    public void TopLevelPropertiesMatchTheSpecRecord()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());
        Assert.Equal(JsonNames(typeof(CompositionSpec)), PropertyNames(Schema));
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void DefinitionPropertiesMatchTheirRecord(string definition, Type record)
    {
        var schema = Schema.GetProperty("$defs").GetProperty(definition);
        var expected = JsonNames(record);
        // Overlays carry the polymorphic "type" discriminator, which is not a record property.
        if (record.IsSubclassOf(typeof(OverlaySpec))) expected.Add("type");

        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(expected, PropertyNames(schema));
    }

    [Fact]
    public void TransitionEnumListsTheSupportedTransitions()
    {
        var listed = Schema.GetProperty("$defs").GetProperty("transition").GetProperty("properties").GetProperty("type")
            .GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet();

        Assert.True(TransitionTypes.Supported.SetEquals(listed));
    }

    [Theory]
    [InlineData("inputs/abc/clip.mp4")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("inputs/a:b.mp4")]
    [InlineData("../x")]
    [InlineData("a/./b")]
    [InlineData("http://evil/x")]
    [InlineData("/abs")]
    [InlineData("a\\b")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a\u0001b")]
    public void SourceKeyPatternAgreesWithSourceKey(string key)
    {
        var pattern = Schema.GetProperty("$defs").GetProperty("sourceKey").GetProperty("pattern").GetString()!;

        Assert.Equal(SourceKey.IsValid(key), Regex.IsMatch(key, pattern, RegexOptions.ECMAScript, TimeSpan.FromSeconds(1)));
    }

    private static SortedSet<string> JsonNames(Type type) =>
        new(CompositionJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name), StringComparer.Ordinal);

    private static SortedSet<string> PropertyNames(JsonElement schema) =>
        new(schema.GetProperty("properties").EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);

    private static JsonElement LoadSchema()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("docs", "composition.schema.json")));
        return document.RootElement.Clone();
    }
}
