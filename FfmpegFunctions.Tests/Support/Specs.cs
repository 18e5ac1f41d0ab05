namespace FfmpegFunctions.Tests.Support;

/// <summary>Spec builders for tests, as anonymous objects serialised like a client would.</summary>
public static class Specs
{
    public static object Simple(string source, int width = 320, int height = 180, double? trimEnd = null, string? title = null, string priority = "default", string preset = "veryfast") => new
    {
        title = title ?? "test",
        priority,
        output = new { width, height, fps = 25, preset },
        clips = new object[]
        {
            trimEnd is null ? new { source } : new { source, trim = new { start = 0.0, end = trimEnd.Value } },
        },
    };

    public static object TwoClipsWithFade(string first, string second) => new
    {
        title = "two clips",
        output = new { width = 320, height = 180, fps = 25 },
        clips = new object[]
        {
            new { source = first, transition = new { type = "fade", duration = 0.5 } },
            new { source = second },
        },
        overlays = new object[] { new { type = "text", text = "Hello", position = "bottom-right", fontSize = 20 } },
    };

    /// <summary>
    /// Two clips with a fade between them and a caption over the whole timeline: with a short Render:SegmentSeconds
    /// it is cut into segments, one of them next to the fade, and the caption spans every cut.
    /// </summary>
    public static object Segmented(string first, string second, int width = 320, int height = 180, string preset = "veryfast", string priority = "default") => new
    {
        title = "segmented",
        priority,
        output = new { width, height, fps = 25, preset },
        clips = new object[]
        {
            new { source = first, transition = new { type = "fade", duration = 0.5 } },
            new { source = second },
        },
        overlays = new object[] { new { type = "text", text = "Across every cut", position = "bottom-left", fontSize = 18 } },
    };
}
