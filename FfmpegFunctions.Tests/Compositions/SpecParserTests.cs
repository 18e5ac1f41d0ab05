using System.Text;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

public sealed class SpecParserTests
{
    private const string FullSpec = """
        {
          "title": "Holiday cut",
          "priority": "high",
          "output": { "width": 1920, "height": 1080, "fps": 29.97, "format": "webm", "quality": 40, "preset": "fast", "audioBitrate": 192 },
          "clips": [
            { "source": "inputs/abc/clip.mp4", "trim": { "start": 1.5, "end": 6.5 }, "fit": "cover", "volume": 0.8,
              "transition": { "type": "wipeleft", "duration": 1 } },
            { "source": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "duration": 4, "fit": "blur", "mute": true }
          ],
          "audio": { "source": "music/bed.mp3", "volume": 0.5, "fadeIn": 1, "fadeOut": 2, "loop": false, "clipAudio": 0.3 },
          "overlays": [
            { "type": "image", "source": "logos/logo.png", "position": "top-right", "margin": 24, "width": 200, "opacity": 0.9, "start": 0, "end": 5 },
            { "type": "text", "text": "Summer\n2026", "position": "bottom-left", "x": 10, "y": -20, "fontSize": 64,
              "color": "#FFEE00", "font": "DejaVu Sans", "box": true, "boxColor": "black@0.6", "start": 2 },
            { "position": "bottom", "scale": 0.25, "type": "image", "source": "logos/small.png" }
          ],
          "thumbnail": { "time": 3, "width": 480 }
        }
        """;

    [Fact]
    public void FullSpecParsesToTheExpectedRecords()
    {
        var result = SpecParser.Parse(FullSpec);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var spec = result.Spec;
        Assert.Equal("Holiday cut", spec.Title);
        Assert.Equal(Priority.High, spec.Priority);
        Assert.Equal(new OutputSpec { Width = 1920, Height = 1080, Fps = 29.97, Format = OutputFormat.Webm, Quality = 40, Preset = "fast", AudioBitrate = 192 }, spec.Output);

        Assert.Equal(2, spec.Clips.Count);
        Assert.Equal(
            new ClipSpec { Source = "inputs/abc/clip.mp4", Trim = new() { Start = 1.5, End = 6.5 }, Fit = Fit.Cover, Volume = 0.8, Transition = new() { Type = "wipeleft", Duration = 1 } },
            spec.Clips[0]);
        Assert.Equal(new ClipSpec { Source = "3f2504e0-4f89-11d3-9a0c-0305e82c3301", Duration = 4, Fit = Fit.Blur, Mute = true }, spec.Clips[1]);

        Assert.Equal(new AudioSpec { Source = "music/bed.mp3", Volume = 0.5, FadeIn = 1, FadeOut = 2, Loop = false, ClipAudio = 0.3 }, spec.Audio);

        Assert.Equal(
            [
                new ImageOverlaySpec { Source = "logos/logo.png", Position = Position.TopRight, Margin = 24, Width = 200, Opacity = 0.9, Start = 0, End = 5 },
                new TextOverlaySpec { Text = "Summer\n2026", Position = Position.BottomLeft, X = 10, Y = -20, FontSize = 64, Color = "#FFEE00", Font = "DejaVu Sans", Box = true, BoxColor = "black@0.6", Start = 2 },
                new ImageOverlaySpec { Source = "logos/small.png", Position = Position.Bottom, Scale = 0.25 },
            ],
            spec.Overlays);
        Assert.Equal(new ThumbnailSpec { Time = 3, Width = 480 }, spec.Thumbnail);
    }

    [Fact]
    public void MinimalSpecGetsTheDocumentedDefaults()
    {
        var result = SpecParser.Parse("""{"clips":[{"source":"inputs/a/clip.mp4"}]}""");

        Assert.True(result.IsValid);
        Assert.Equal(new OutputSpec(), result.Spec.Output);
        Assert.Equal(Priority.Default, result.Spec.Priority);
        Assert.Null(result.Spec.Audio);
        Assert.Empty(result.Spec.Overlays);
        Assert.Equal(new ThumbnailSpec(), result.Spec.Thumbnail);
    }

    [Fact]
    public void Utf8InputParsesLikeAString()
    {
        var result = SpecParser.Parse(Encoding.UTF8.GetBytes(FullSpec));

        Assert.True(result.IsValid);
        Assert.Equal(2, result.Spec.Clips.Count);
    }

    [Fact]
    public void StructuralProblemsAreAllReportedTogether()
    {
        var result = SpecParser.Parse("""
            {
              "output": { "width": "wide", "format": "avi" },
              "clips": [ { "trim": { "start": 0, "until": 3 } }, { "source": "a.mp4", "fit": 1 } ],
              "overlays": [ { "type": "text", "text": "Hi", "colour": "red" }, { "source": "a.png" } ],
              "extra": true
            }
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["/output/width", "/output/format", "/clips/0/trim/until", "/clips/0/source", "/clips/1/fit", "/overlays/0/colour", "/overlays/1/type", "/extra"],
            result.Errors.Select(e => e.Pointer));
    }

    [Fact]
    public void SemanticProblemsAreAllReportedTogether()
    {
        var result = SpecParser.Parse("""
            {
              "output": { "width": 1279, "fps": 0, "preset": "placebo" },
              "clips": [ { "source": "../up.mp4", "volume": 5, "transition": { "type": "spin" } } ],
              "overlays": [ { "type": "image", "source": "a.png", "opacity": 2 } ]
            }
            """);

        Assert.Equal(
            ["/output/width", "/output/fps", "/output/preset", "/clips/0/source", "/clips/0/volume", "/clips/0/transition/type", "/clips/0/transition", "/overlays/0/opacity"],
            result.Errors.Select(e => e.Pointer));
    }

    [Fact]
    public void UnknownMemberInsideAnOverlayIsFlaggedAtItsPointer()
    {
        var result = SpecParser.Parse("""
            {"clips":[{"source":"a.mp4"}],"overlays":[{"type":"text","text":"ok"},{"type":"image","source":"a.png","shadow":{"blur":3}}]}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("/overlays/1/shadow", error.Pointer);
    }

    [Theory]
    [InlineData("{\"clips\": [")]
    [InlineData("{\"clips\": [], }")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{} {}")]
    public void MalformedJsonGivesOneRootError(string json)
    {
        var result = SpecParser.Parse(json);

        var error = Assert.Single(result.Errors);
        Assert.Equal("", error.Pointer);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Spec);
    }

    [Theory]
    [InlineData("top-left", Position.TopLeft)]
    [InlineData("top-right", Position.TopRight)]
    [InlineData("center", Position.Center)]
    [InlineData("bottom-left", Position.BottomLeft)]
    [InlineData("bottom-right", Position.BottomRight)]
    public void KebabCasePositionsParse(string json, Position expected)
    {
        var result = SpecParser.Parse($$"""{"clips":[{"source":"a.mp4"}],"overlays":[{"type":"text","text":"x","position":"{{json}}"}]}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Spec.Overlays[0].Position);
    }

    [Fact]
    public void OverlayTimesAreNotJudgedWhileAClipLengthIsUnknown()
    {
        // The second clip plays to the end of its source; only the planner knows how long that is.
        var result = SpecParser.Parse("""
            {"clips":[{"source":"a.mp4","duration":2},{"source":"b.mp4"}],
             "overlays":[{"type":"text","text":"late","start":500,"end":900}],
             "thumbnail":{"time":300}}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void OverlayEndingExactlyAtTheEndIsAccepted()
    {
        var result = SpecParser.Parse("""
            {"clips":[{"source":"a.mp4","duration":4,"transition":{"duration":1}},{"source":"b.mp4","trim":{"start":2,"end":5}}],
             "overlays":[{"type":"text","text":"x","start":0,"end":6}]}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
