using System.Text.Json;
using FfmpegFunctions.Core.Templates;

namespace FfmpegFunctions.Tests.Templates;

public sealed class TemplateMergerTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static Dictionary<string, JsonElement> Values(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void AWholeStringPlaceholderTakesTheValueWithItsType()
    {
        var merged = TemplateMerger.Merge(Json("""{"output":{"width":"{{w}}","fps":"{{fps}}"},"title":"{{title}}","x":"{{flag}}"}"""),
            Values("""{"w":640,"fps":29.97,"title":"Launch","flag":true}"""));

        Assert.Empty(merged.Errors);
        Assert.Equal("""{"output":{"width":640,"fps":29.97},"title":"Launch","x":true}""", merged.Merged!.ToJsonString());
    }

    [Fact]
    public void APlaceholderInsideTextIsReplacedByTheValuesText()
    {
        var merged = TemplateMerger.Merge(Json("""{"overlays":[{"type":"text","text":"Hi {{name}}, {{n}} new"}]}"""),
            Values("""{"name":"Ada","n":3}"""));

        Assert.Equal("Hi Ada, 3 new", merged.Merged!["overlays"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ValuesStayLiteralTextAndCannotChangeTheDocumentsShape()
    {
        const string hostile = "\", \"output\": {\"width\": 1}, \"x\": \"'); system(rm -rf /) {{other}} [v0];drawtext=%{pts}";
        var merged = TemplateMerger.Merge(Json("""{"title":"{{t}}","overlays":[{"type":"text","text":"A {{t}}"}]}"""),
            new Dictionary<string, JsonElement> { ["t"] = JsonSerializer.SerializeToElement(hostile) });

        Assert.Empty(merged.Errors);
        var root = JsonDocument.Parse(merged.Merged!.ToJsonString()).RootElement;
        Assert.Equal(["title", "overlays"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(hostile, root.GetProperty("title").GetString());
        Assert.Equal("A " + hostile, root.GetProperty("overlays")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void MissingValuesAreReportedByNameWithWhereTheTemplateUsesThem()
    {
        var merged = TemplateMerger.Merge(Json("""{"title":"{{a}}","clips":[{"source":"{{clip}}"},{"source":"{{clip}}"}]}"""), Values("""{"a":"x"}"""));

        Assert.Null(merged.Merged);
        var error = Assert.Single(merged.Errors);
        Assert.Equal("/values/clip", error.Pointer);
        Assert.Contains("/clips/0/source", error.Message, StringComparison.Ordinal);
        Assert.Contains("/clips/1/source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueForNoPlaceholderAndANonScalarValueAreRejected()
    {
        var merged = TemplateMerger.Merge(Json("""{"title":"{{a}}"}"""), Values("""{"a":{"nested":1},"typo":"x"}"""));

        Assert.Equal(["/values/a", "/values/typo"], merged.Errors.Select(e => e.Pointer).Order());
    }

    [Theory]
    [InlineData("{{ spaced }}")]
    [InlineData("{{1digit}}")]
    [InlineData("{single}")]
    [InlineData("{{}}")]
    public void BracesThatAreNoPlaceholderStayText(string text)
    {
        var template = Json(JsonSerializer.Serialize(new { title = text }));

        Assert.Empty(TemplateMerger.Placeholders(template));
        Assert.Equal(text, TemplateMerger.Merge(template, new Dictionary<string, JsonElement>()).Merged!["title"]!.GetValue<string>());
    }
}
