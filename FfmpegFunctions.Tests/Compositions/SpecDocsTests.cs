using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

/// <summary>The examples in docs/composition-spec.md are what clients copy, so they must stay valid.</summary>
public sealed partial class SpecDocsTests
{
    public static TheoryData<int> ExampleIndexes => new(Enumerable.Range(0, Examples().Count));

    [Fact]
    public void DocsHoldFourExamples() => Assert.Equal(4, Examples().Count);

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void DocumentedExampleIsValid(int index)
    {
        var result = SpecParser.Parse(Examples()[index]);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void TransitionExampleLastsAsTheDocsSay()
    {
        var spec = SpecParser.Parse(Examples()[1]).Spec!;

        Assert.Equal(16.25, Timeline.KnownTotal(spec.Clips)!.Value, 9);
    }

    [Fact]
    public void TheV2ExampleUsesLayersCaptionsSpeedAndMotionAndLastsAsTheDocsSay()
    {
        var spec = SpecParser.Parse(Examples()[3]).Spec!;

        Assert.Single(spec.Layers);
        Assert.NotNull(spec.Captions);
        Assert.NotNull(spec.Clips[0].Motion);
        Assert.Equal(11.5, Timeline.KnownTotal(spec.Clips)!.Value, 9);
    }

    private static List<string> Examples() =>
        [.. JsonBlock().Matches(File.ReadAllText(RepoFiles.Path("docs", "composition-spec.md"))).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^```json\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
