using FfmpegFunctions.Core.Captions;

namespace FfmpegFunctions.Tests.SpecV2;

public sealed class CaptionFileTests
{
    [Fact]
    public void SrtCuesAreReadWithTheirTimesAndMarkupDropped()
    {
        var parsed = CaptionFile.Parse("\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> {\\an8}there\r\nsecond line\r\n\r\n2\r\n00:00:03,250 --> 00:01:04,000\r\nשלום עולם\r\n");

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(2, parsed.Cues.Count);
        Assert.Equal((1.0, 2.5), (parsed.Cues[0].Start, parsed.Cues[0].End));
        Assert.Equal(["Hello there", "second line"], parsed.Cues[0].Lines);
        Assert.Equal((3.25, 64.0), (parsed.Cues[1].Start, parsed.Cues[1].End));
        Assert.Equal("שלום עולם", parsed.Cues[1].Lines[0]);
    }

    [Fact]
    public void WebVttCuesWithSettingsIdentifiersAndNotesAreRead()
    {
        var parsed = CaptionFile.Parse("WEBVTT - demo\nKind: captions\n\nNOTE a comment\nspanning lines\n\nintro\n00:01.000 --> 00:02.000 line:0 align:center\n<v Ada>مرحبا &amp; hi</v>\n\n01:00:00.000 --> 01:00:01.500\nlast\n");

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(["مرحبا & hi"], parsed.Cues[0].Lines);
        Assert.Equal(3600, parsed.Cues[1].Start);
    }

    [Theory]
    [InlineData("1\n00:00:01,000 -> 00:00:02,000\nHi\n", 2, "timing line")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:05,000 --> 00:00:04,000\nbackwards\n", 6, "ends before it starts")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\nhello\n00:00:03,000 --> 00:00:04,000\nx\n", 5, "cue number")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\n\n", 2, "no text")]
    [InlineData("just some words\n", 1, "cue number")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:61,000 --> 00:00:62,000\nx\n", 6, "out of range")]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.000 --> 00:xx.000\nbad\n", 6, "timing line")]
    public void ABadCueIsReportedWithItsLineNumber(string text, int line, string message)
    {
        var parsed = CaptionFile.Parse(text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssTextIsLiteralForLibass()
    {
        Assert.Equal("a \\{\\b1\\} \\\u2060N \\\u2060\\{x\\}", AssDocument.Literal("a {\\b1} \\N \\{x}"));
    }
}
