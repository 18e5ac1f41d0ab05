using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>A decompression bomb (a 16000x16000 PNG of ~30 KB) fails at ProbeInputs, naming the member and its real size,
/// instead of rendering for minutes in gigabytes (6 min 38 s and 3 GB as a clip before the limits).</summary>
[Collection(nameof(PipelineCollection))]
public sealed class DecodedSizeLimitTests
{
    [Theory]
    [InlineData("clip", "/clips/0/source")]
    [InlineData("overlay", "/overlays/0/source")]
    public async Task AnImageOverThePixelLimitFailsAtProbeNamingTheMemberAndItsSize(string use, string pointer)
    {
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true);
        using var client = instance.CreateClient();
        Directory.CreateDirectory(host.WorkRoot);
        var bomb = await host.UploadInputAsync(instance, DecompressionBomb.WritePng(Path.Combine(host.WorkRoot, "bomb.png"), 16000, 16000), "image/png");
        var clip = await host.UploadInputAsync(instance, DecompressionBomb.WritePng(Path.Combine(host.WorkRoot, "plain.png"), 320, 180), "image/png");
        object spec = use == "clip"
            ? new { output = new { width = 320, height = 180, fps = 25 }, clips = new object[] { new { source = bomb, duration = 2 } } }
            : new
            {
                output = new { width = 320, height = 180, fps = 25 },
                clips = new object[] { new { source = clip, duration = 2 } },
                overlays = new object[] { new { type = "image", source = bomb } },
            };

        var id = await PipelineHost.CreateAsync(client, spec);
        var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");

        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Equal("ProbeInputs", view.GetProperty("currentStep").GetString());
        Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        Assert.Equal($"{pointer}: The input '{bomb}' is 16000x16000 (256000000 pixels), more than the 67108864 pixels allowed for an image (Render:MaxImagePixels).",
            view.GetProperty("error").GetProperty("message").GetString());
    }
}
