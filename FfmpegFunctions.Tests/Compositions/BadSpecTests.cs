using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

/// <summary>Each bad spec must be rejected with an error at the pointer a client would look at.</summary>
public sealed class BadSpecTests
{
    private const string Clip = """{"source":"inputs/a/clip.mp4","trim":{"start":0,"end":10}}""";
    private const string ShortClip = """{"source":"inputs/a/b.mp4","duration":2}""";

    private static string WithClips(params string[] clips) => $$"""{"clips":[{{string.Join(",", clips)}}]}""";

    private static string WithRoot(string members) => $$"""{"clips":[{{Clip}}],{{members}}}""";

    private static string WithOutput(string output) => WithRoot($$"""
        "output":{{{output}}}
        """);

    private static string WithAudio(string audio) => WithRoot($$"""
        "audio":{{{audio}}}
        """);

    private static string WithOverlay(string overlay) => WithRoot($$"""
        "overlays":[{{{overlay}}}]
        """);

    private static string Text(string members) => WithOverlay("\"type\":\"text\",\"text\":\"Hi\"," + members);

    private static string Image(string members) => WithOverlay("\"type\":\"image\",\"source\":\"logos/l.png\"," + members);

    private static string Repeat(string item, int count) => string.Join(",", Enumerable.Repeat(item, count));

    public static TheoryData<string, string, string> Cases => new()
    {
        // Structure: found on the document before deserializing.
        { "root is not an object", "[]", "" },
        { "unknown root member", WithRoot("\"colour\":1"), "/colour" },
        { "clips missing", "{}", "/clips" },
        { "clips not an array", """{"clips":{}}""", "/clips" },
        { "clip without source", """{"clips":[{"duration":2}]}""", "/clips/0/source" },
        { "source is a number", """{"clips":[{"source":5}]}""", "/clips/0/source" },
        { "unknown clip member", WithClips("""{"source":"a.mp4","tempo":2}"""), "/clips/0/tempo" },
        { "unknown trim member", WithClips("""{"source":"a.mp4","trim":{"stop":2}}"""), "/clips/0/trim/stop" },
        { "number given as a string", WithClips("""{"source":"a.mp4","trim":{"start":"1"}}"""), "/clips/0/trim/start" },
        { "fractional integer", WithOutput("\"width\":1280.5"), "/output/width" },
        { "integer overflow", WithOutput("\"width\":99999999999"), "/output/width" },
        { "unknown format", WithOutput("\"format\":\"mov\""), "/output/format" },
        { "enum in PascalCase", WithOutput("\"format\":\"Mp4\""), "/output/format" },
        { "unknown fit", WithClips("""{"source":"a.mp4","fit":"stretch"}"""), "/clips/0/fit" },
        { "unknown priority", WithRoot("\"priority\":\"urgent\""), "/priority" },
        { "boolean as string", WithClips("""{"source":"a.mp4","mute":"yes"}"""), "/clips/0/mute" },
        { "null for a non-nullable member", WithClips("""{"source":"a.mp4","volume":null}"""), "/clips/0/volume" },
        { "duplicate member", WithRoot("\"title\":\"a\",\"title\":\"b\""), "/title" },
        { "member name with slash is escaped", WithRoot("\"a/b\":1"), "/a~1b" },
        { "overlay without type", WithOverlay("\"text\":\"Hi\""), "/overlays/0/type" },
        { "overlay of unknown type", WithOverlay("\"type\":\"video\",\"source\":\"a.mp4\""), "/overlays/0/type" },
        { "image member on a text overlay", Text("\"source\":\"a.png\""), "/overlays/0/source" },
        { "text member on an image overlay", Image("\"fontSize\":20"), "/overlays/0/fontSize" },
        { "text overlay without text", WithOverlay("\"type\":\"text\""), "/overlays/0/text" },
        { "unknown position", Text("\"position\":\"middle\""), "/overlays/0/position" },
        { "too deep", "{\"clips\":" + new string('[', 20) + new string(']', 20) + "}", "" },

        // Output.
        { "odd width", WithOutput("\"width\":1279"), "/output/width" },
        { "width too small", WithOutput("\"width\":8"), "/output/width" },
        { "height beyond 4K", WithOutput("\"width\":1920,\"height\":4000"), "/output/height" },
        { "square beyond the short side", WithOutput("\"width\":3840,\"height\":3840"), "/output/height" },
        { "zero fps", WithOutput("\"fps\":0"), "/output/fps" },
        { "fps above 60", WithOutput("\"fps\":120"), "/output/fps" },
        { "crf above x264 range", WithOutput("\"format\":\"mp4\",\"quality\":52"), "/output/quality" },
        { "crf above vp9 range", WithOutput("\"format\":\"webm\",\"quality\":64"), "/output/quality" },
        { "negative crf", WithOutput("\"quality\":-1"), "/output/quality" },
        { "unknown preset", WithOutput("\"preset\":\"placebo\""), "/output/preset" },
        { "audio bitrate too low", WithOutput("\"audioBitrate\":16"), "/output/audioBitrate" },

        // Clips.
        { "no clips", """{"clips":[]}""", "/clips" },
        { "too many clips", WithClips(Enumerable.Repeat(ShortClip, 201).ToArray()), "/clips" },
        { "empty source", WithClips("""{"source":""}"""), "/clips/0/source" },
        { "parent segment in source", WithClips("""{"source":"../x.mp4"}"""), "/clips/0/source" },
        { "url source with credentials", WithClips("""{"source":"https://user:pw@evil/x.mp4"}"""), "/clips/0/source" },
        { "url source with another scheme", WithClips("""{"source":"ftp://evil/x.mp4"}"""), "/clips/0/source" },
        { "absolute source", WithClips("""{"source":"/etc/passwd"}"""), "/clips/0/source" },
        { "negative trim start", WithClips("""{"source":"a.mp4","trim":{"start":-1}}"""), "/clips/0/trim/start" },
        { "trim end before start", WithClips("""{"source":"a.mp4","trim":{"start":5,"end":5}}"""), "/clips/0/trim/end" },
        { "zero duration", WithClips("""{"source":"a.mp4","duration":0}"""), "/clips/0/duration" },
        { "clip volume above 2", WithClips("""{"source":"a.mp4","volume":3}"""), "/clips/0/volume" },
        { "unknown transition", WithClips("""{"source":"a.mp4","transition":{"type":"spin"}}""", Clip), "/clips/0/transition/type" },
        { "transition too long", WithClips("""{"source":"a.mp4","transition":{"duration":6}}""", Clip), "/clips/0/transition/duration" },
        { "zero transition", WithClips("""{"source":"a.mp4","transition":{"duration":0}}""", Clip), "/clips/0/transition/duration" },
        { "transition on the last clip", WithClips(Clip, """{"source":"a.mp4","transition":{"type":"fade"}}"""), "/clips/1/transition" },
        { "transition longer than its clip", WithClips("""{"source":"a.mp4","duration":1,"transition":{"duration":2}}""", Clip), "/clips/0/transition/duration" },
        { "transition longer than the next clip", WithClips("""{"source":"a.mp4","transition":{"duration":3}}""", ShortClip), "/clips/0/transition/duration" },
        { "transitions overlapping inside a clip", WithClips(
            """{"source":"a.mp4","transition":{"duration":1.5}}""",
            """{"source":"b.mp4","duration":2,"transition":{"duration":1}}""",
            Clip), "/clips/1/transition/duration" },
        { "timeline over three hours", WithClips("""{"source":"a.png","duration":10801}"""), "/clips" },

        // Music bed.
        { "audio without source", WithAudio("\"volume\":1"), "/audio/source" },
        { "audio source with scheme", WithAudio("\"source\":\"s3://bucket/m.mp3\""), "/audio/source" },
        { "negative music volume", WithAudio("\"source\":\"m.mp3\",\"volume\":-1"), "/audio/volume" },
        { "fade in over a minute", WithAudio("\"source\":\"m.mp3\",\"fadeIn\":61"), "/audio/fadeIn" },
        { "negative fade out", WithAudio("\"source\":\"m.mp3\",\"fadeOut\":-1"), "/audio/fadeOut" },
        { "clip audio above 2", WithAudio("\"source\":\"m.mp3\",\"clipAudio\":2.5"), "/audio/clipAudio" },

        // Overlays.
        { "too many overlays", WithRoot("\"overlays\":[" + Repeat("""{"type":"text","text":"x"}""", 51) + "]"), "/overlays" },
        { "image width below 2", Image("\"width\":1"), "/overlays/0/width" },
        { "image scale above 1", Image("\"scale\":1.5"), "/overlays/0/scale" },
        { "image width and scale together", Image("\"width\":100,\"scale\":0.5"), "/overlays/0/scale" },
        { "opacity above 1", Image("\"opacity\":1.2"), "/overlays/0/opacity" },
        { "image source with backslash", WithOverlay("""
            "type":"image","source":"a\\b.png"
            """), "/overlays/0/source" },
        { "blank text", WithOverlay("\"type\":\"text\",\"text\":\"  \""), "/overlays/0/text" },
        { "text over 500 characters", WithOverlay("\"type\":\"text\",\"text\":\"" + new string('a', 501) + "\""), "/overlays/0/text" },
        { "text with a control character", WithOverlay("\"type\":\"text\",\"text\":\"a\\u0007b\""), "/overlays/0/text" },
        { "font size too small", Text("\"fontSize\":2"), "/overlays/0/fontSize" },
        { "colour with filter syntax", Text("\"color\":\"red:drawbox\""), "/overlays/0/color" },
        { "box colour with five hex digits", Text("\"boxColor\":\"#12345\""), "/overlays/0/boxColor" },
        { "font given as a path", Text("\"font\":\"../fonts/x.ttf\""), "/overlays/0/font" },
        { "x beyond 3840", Text("\"x\":5000"), "/overlays/0/x" },
        { "y below -3840", Text("\"y\":-5000"), "/overlays/0/y" },
        { "negative margin", Text("\"margin\":-1"), "/overlays/0/margin" },
        { "negative overlay start", Text("\"start\":-1"), "/overlays/0/start" },
        { "overlay ending at its start", Text("\"start\":3,\"end\":3"), "/overlays/0/end" },
        { "overlay starting after the video", Text("\"start\":10"), "/overlays/0/start" },
        { "overlay ending after the video", Text("\"start\":1,\"end\":10.5"), "/overlays/0/end" },

        // Thumbnail and title.
        { "negative thumbnail time", WithRoot("\"thumbnail\":{\"time\":-1}"), "/thumbnail/time" },
        { "thumbnail after the video", WithRoot("\"thumbnail\":{\"time\":10}"), "/thumbnail/time" },
        { "odd thumbnail width", WithRoot("\"thumbnail\":{\"width\":101}"), "/thumbnail/width" },
        { "title over 200 characters", WithRoot("\"title\":\"" + new string('t', 201) + "\""), "/title" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadSpecIsRejectedAtItsPointer(string name, string json, string pointer)
    {
        var result = SpecParser.Parse(json);

        Assert.False(result.IsValid, name);
        Assert.Null(result.Spec);
        Assert.Contains(result.Errors, e => e.Pointer == pointer);
    }

    [Fact]
    public void TableHoldsAtLeastFortyFiveDistinctSpecs()
    {
        var specs = Cases.Select(row => (string)row[1]).ToHashSet(StringComparer.Ordinal);

        Assert.True(specs.Count >= 45, $"only {specs.Count} distinct specs");
    }
}
