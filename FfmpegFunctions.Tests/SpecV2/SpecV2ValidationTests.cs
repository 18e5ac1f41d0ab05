using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.SpecV2;

/// <summary>Spec v2 members are validated with pointers like v1's.</summary>
public sealed class SpecV2ValidationTests
{
    private const string Clip = """{"source":"inputs/a/clip.mp4","trim":{"start":0,"end":10}}""";

    private static string WithRoot(string members) => $$"""{"clips":[{{Clip}}],{{members}}}""";

    private static string WithClip(string members) => $$"""{"clips":[{"source":"inputs/a/clip.mp4","trim":{"start":0,"end":10},{{members}}}]}""";

    private static string WithLayer(string members) => WithRoot($$"""
        "layers":[{"source":"inputs/a/pip.mp4",{{members}}}]
        """);

    private static string WithCaptions(string members) => WithRoot($$"""
        "captions":{"source":"inputs/a/subs.srt"{{(members.Length > 0 ? "," + members : "")}}}
        """);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "speed too slow", WithClip("\"speed\":0.2"), "/clips/0/speed" },
        { "speed too fast", WithClip("\"speed\":4.5"), "/clips/0/speed" },
        { "speed not a number", WithClip("\"speed\":\"fast\""), "/clips/0/speed" },
        { "negative clip fade", WithClip("\"fadeIn\":-1"), "/clips/0/fadeIn" },
        { "fades longer than the clip", WithClip("\"fadeIn\":6,\"fadeOut\":5"), "/clips/0/fadeOut" },
        { "fades longer than a sped-up clip", WithClip("\"speed\":4,\"fadeIn\":2,\"fadeOut\":1"), "/clips/0/fadeOut" },
        { "motion zoom below 1", WithClip("\"motion\":{\"from\":{\"zoom\":0.5}}"), "/clips/0/motion/from/zoom" },
        { "motion x beyond the edge", WithClip("\"motion\":{\"to\":{\"x\":1.5}}"), "/clips/0/motion/to/x" },
        { "motion unknown easing", WithClip("\"motion\":{\"easing\":\"bounce\"}"), "/clips/0/motion/easing" },
        { "motion unknown member", WithClip("\"motion\":{\"spin\":1}"), "/clips/0/motion/spin" },
        { "layer without source", WithRoot("\"layers\":[{\"start\":1}]"), "/layers/0/source" },
        { "layer starting after the end", WithLayer("\"start\":12"), "/layers/0/start" },
        { "layer with width and scale", WithLayer("\"width\":100,\"scale\":0.2"), "/layers/0/scale" },
        { "layer height without width", WithLayer("\"height\":100"), "/layers/0/height" },
        { "layer opacity above 1", WithLayer("\"opacity\":1.5"), "/layers/0/opacity" },
        { "layer unknown fit", WithLayer("\"fit\":\"stretch\""), "/layers/0/fit" },
        { "layer zero duration", WithLayer("\"duration\":0"), "/layers/0/duration" },
        { "layer fades longer than it shows", WithLayer("\"duration\":1,\"fadeIn\":1,\"fadeOut\":0.5"), "/layers/0/fadeOut" },
        { "too many layers", WithRoot("\"layers\":[" + string.Join(",", Enumerable.Repeat("{\"source\":\"inputs/a/p.mp4\"}", 11)) + "]"), "/layers" },
        { "overlay fade negative", WithRoot("\"overlays\":[{\"type\":\"text\",\"text\":\"Hi\",\"fadeIn\":-0.5}]"), "/overlays/0/fadeIn" },
        { "overlay fades longer than its window", WithRoot("\"overlays\":[{\"type\":\"text\",\"text\":\"Hi\",\"start\":1,\"end\":2,\"fadeIn\":1,\"fadeOut\":1}]"), "/overlays/0/fadeOut" },
        { "captions without source", WithRoot("\"captions\":{\"fontSize\":30}"), "/captions/source" },
        { "captions bad colour", WithCaptions("\"color\":\"chartreuse-ish\""), "/captions/color" },
        { "captions colour with a comma", WithCaptions("\"outlineColor\":\"#fff,&H0\""), "/captions/outlineColor" },
        { "captions font with a comma", WithCaptions("\"font\":\"Arial,Bold\""), "/captions/font" },
        { "captions tiny font", WithCaptions("\"fontSize\":2"), "/captions/fontSize" },
        { "captions outline too wide", WithCaptions("\"outline\":50"), "/captions/outline" },
        { "captions unknown position", WithCaptions("\"position\":\"left\""), "/captions/position" },
        { "preview not a boolean", WithRoot("\"output\":{\"preview\":\"yes\"}"), "/output/preview" },
        { "audio track without source", WithRoot("\"audioTracks\":[{\"role\":\"voice\"}]"), "/audioTracks/0/source" },
        { "audio track unknown role", WithRoot("\"audioTracks\":[{\"source\":\"inputs/a/v.m4a\",\"role\":\"narrator\"}]"), "/audioTracks/0/role" },
        { "audio track after the end", WithRoot("\"audioTracks\":[{\"source\":\"inputs/a/v.m4a\",\"start\":11}]"), "/audioTracks/0/start" },
        { "audio track too loud", WithRoot("\"audioTracks\":[{\"source\":\"inputs/a/v.m4a\",\"volume\":3}]"), "/audioTracks/0/volume" },
        { "audio track fades longer than it plays", WithRoot("\"audioTracks\":[{\"source\":\"inputs/a/v.m4a\",\"duration\":1,\"fadeIn\":1,\"fadeOut\":1}]"), "/audioTracks/0/fadeOut" },
        { "ducking too deep", WithRoot("\"ducking\":{\"depth\":60}"), "/ducking/depth" },
        { "ducking negative attack", WithRoot("\"ducking\":{\"attack\":-1}"), "/ducking/attack" },
        { "ducking null", WithRoot("\"ducking\":null"), "/ducking" },
        { "loudness target too loud", WithRoot("\"output\":{\"loudness\":{\"target\":0}}"), "/output/loudness/target" },
        { "loudness true peak above 0", WithRoot("\"output\":{\"loudness\":{\"truePeak\":1}}"), "/output/loudness/truePeak" },
        { "loudness on a gif", WithRoot("\"output\":{\"format\":\"gif\",\"loudness\":{}}"), "/output/loudness" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadV2MemberIsRejectedAtItsPointer(string because, string json, string pointer)
    {
        var result = SpecParser.Parse(json);

        Assert.False(result.IsValid, because);
        Assert.Contains(result.Errors, e => e.Pointer == pointer);
    }

    [Fact]
    public void SpeedChangesTheTimelineLengthThatValidationUses()
    {
        // 10 s of source at 2x lasts 5 s: an overlay at 6 s is after the end.
        var result = SpecParser.Parse($$"""{"clips":[{"source":"inputs/a/c.mp4","trim":{"start":0,"end":10},"speed":2}],"overlays":[{"type":"text","text":"x","start":6}]}""");

        Assert.Contains(result.Errors, e => e.Pointer == "/overlays/0/start" && e.Message.Contains("5 s", StringComparison.Ordinal));
        Assert.Equal(20, Timeline.KnownLength(new ClipSpec { Source = "a", Trim = new TrimSpec { End = 10 }, Speed = 0.5 }));
    }

    [Fact]
    public void AFullV2SpecIsValid()
    {
        var result = SpecParser.Parse("""
            {"output":{"width":1280,"height":720,"preview":true},
             "clips":[{"source":"inputs/a/c.mp4","trim":{"start":0,"end":8},"speed":1.5,"fadeIn":0.5,"fadeOut":0.5,
                       "motion":{"from":{"zoom":1,"x":0.5,"y":0.5},"to":{"zoom":1.4,"x":0.2,"y":0.3},"easing":"ease-out"}}],
             "layers":[{"source":"inputs/a/pip.mp4","start":1,"duration":3,"position":"top-right","scale":0.25,"opacity":0.9,"fadeIn":0.3}],
             "overlays":[{"type":"text","text":"Hi","fadeIn":0.5,"fadeOut":0.5}],
             "captions":{"source":"inputs/a/subs.vtt","fontSize":40,"color":"#FFFF00","box":true,"position":"top"}}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
