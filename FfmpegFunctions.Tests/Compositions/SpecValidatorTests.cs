using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

/// <summary>The validator also guards specs built in code, which can hold values JSON cannot.</summary>
public sealed class SpecValidatorTests
{
    private static CompositionSpec Valid() => new() { Clips = [new() { Source = "inputs/a/clip.mp4", Duration = 5 }] };

    [Fact]
    public void SpecBuiltInCodeWithDefaultsIsValid() => Assert.Empty(SpecValidator.Validate(Valid()));

    [Fact]
    public void NotANumberIsRejected()
    {
        var spec = Valid() with { Output = new() { Fps = double.NaN }, Audio = new() { Source = "m.mp3", Volume = double.NaN } };

        Assert.Equal(["/output/fps", "/audio/volume"], SpecValidator.Validate(spec).Select(e => e.Pointer));
    }

    [Fact]
    public void PortraitFourKIsAccepted()
    {
        var spec = Valid() with { Output = new() { Width = 2160, Height = 3840 } };

        Assert.Empty(SpecValidator.Validate(spec));
    }

    [Fact]
    public void TextLengthCountsWhatPeopleSeeNotUtf16Units()
    {
        // 500 family emoji: 500 text elements, several thousand UTF-16 units.
        var text = string.Concat(Enumerable.Repeat("👨‍👩‍👧", SpecLimits.MaxTextElements));
        var spec = Valid() with { Overlays = [new TextOverlaySpec { Text = text }] };

        Assert.Empty(SpecValidator.Validate(spec));
    }

    [Fact]
    public void UnknownEnumValueFromCodeIsRejected()
    {
        var spec = Valid() with { Output = new() { Format = (OutputFormat)42 } };

        Assert.Contains(SpecValidator.Validate(spec), e => e.Pointer == "/output/format");
    }

    [Fact]
    public void GifIgnoresTheX264CrfCeiling()
    {
        var spec = Valid() with { Output = new() { Format = OutputFormat.Gif, Quality = 60 } };

        Assert.Empty(SpecValidator.Validate(spec));
    }
}
