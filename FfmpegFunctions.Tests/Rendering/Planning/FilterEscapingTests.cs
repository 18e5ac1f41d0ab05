using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Rendering.Planning;

public sealed class FilterEscapingTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("colon: here")]
    [InlineData("it's")]
    [InlineData("back\\slash")]
    [InlineData("100%")]
    [InlineData("%{localtime}")]
    [InlineData("a,b;c[d]e=f")]
    [InlineData("'); system(rm -rf /) #")]
    [InlineData("''\\'\\\\''")]
    [InlineData("  padded  ")]
    [InlineData("")]
    [InlineData("Привет, мир — Γειά σου: 'κόσμε'")]
    [InlineData("line\nbreak")]
    [InlineData("[out];[0:v]drawtext=text=x")]
    public void TextSurvivesBothParsingLevelsUnchanged(string text)
    {
        var filter = Filter.Of("drawtext", ("text", text), ("fontsize", "20"));

        var rendered = filter.ToString();
        var (name, options, consumed) = FfmpegTokenizer.ParseFilter(rendered);

        Assert.Equal("drawtext", name);
        Assert.Equal(rendered.Length, consumed);
        Assert.Equal([KeyValuePair.Create("text", text), KeyValuePair.Create("fontsize", "20")], options);
    }

    [Fact]
    public void GraphSpecialsAreBackslashEscaped() =>
        Assert.Equal(@"a\\b\'c\[d\]e\,f\;g", FilterEscaping.GraphArguments(@"a\b'c[d]e,f;g"));

    [Fact]
    public void OptionValuesWithSpecialsAreQuotedAndQuotesReopened()
    {
        Assert.Equal("'a:b'", FilterEscaping.OptionValue("a:b"));
        Assert.Equal(@"'it'\''s'", FilterEscaping.OptionValue("it's"));
        Assert.Equal(@"'a\b'", FilterEscaping.OptionValue(@"a\b"));
        Assert.Equal("'k=v'", FilterEscaping.OptionValue("k=v"));
        Assert.Equal("''", FilterEscaping.OptionValue(""));
        Assert.Equal("' x'", FilterEscaping.OptionValue(" x"));
    }

    [Fact]
    public void PlainValuesAreLeftReadable()
    {
        Assert.Equal("between(t,1,2)", FilterEscaping.OptionValue("between(t,1,2)"));
        Assert.Equal(@"enable=between(t\,1\,2)", Filter.Of("x", ("enable", "between(t,1,2)")).ToString()[2..]);
    }
}
