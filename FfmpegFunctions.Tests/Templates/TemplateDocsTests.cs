using System.Text.Json;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Templates;
using FfmpegFunctions.Tests.Compositions;

namespace FfmpegFunctions.Tests.Templates;

/// <summary>docs/templates.md's example is what clients copy: merged with its values it must be a valid composition.</summary>
public sealed partial class TemplateDocsTests
{
    [Fact]
    public void TheDocumentedTemplateMergedWithItsValuesIsAValidComposition()
    {
        var blocks = JsonBlock().Matches(File.ReadAllText(RepoFiles.Path("docs", "templates.md"))).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, blocks.Count);
        var template = JsonDocument.Parse(blocks[0]).RootElement.GetProperty("spec");
        var values = JsonDocument.Parse(blocks[1]).RootElement.GetProperty("values").Deserialize<Dictionary<string, JsonElement>>()!;

        var merged = TemplateMerger.Merge(template, values);

        Assert.Empty(merged.Errors);
        var parsed = SpecParser.Parse(merged.Merged!.ToJsonString());
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(1280, parsed.Spec!.Output.Width);
        Assert.Equal("Week 48: Launch day", Assert.IsType<TextOverlaySpec>(parsed.Spec.Overlays[0]).Text);
    }

    [GeneratedRegex(@"^```json\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
