using FfmpegFunctions.Core.Rendering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Rendering.Execution;

public sealed class FfmpegOptionsValidationTests
{
    [Fact]
    public async Task AnFfmpegPathThatDoesNotExistFailsStartNamingTheSetting()
    {
        using var host = BuildHost(new() { ["Ffmpeg:FfmpegPath"] = "/nonexistent/bin/ffmpeg" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ffmpeg:FfmpegPath", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ffmpeg:FfprobePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutOfRangeThreadCountFailsStartNamingTheSetting()
    {
        using var host = BuildHost(new() { ["Ffmpeg:Threads"] = "-1" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ffmpeg:Threads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultsStartAndProvideTheRenderingServices()
    {
        using var host = BuildHost([]);

        await host.StartAsync();

        Assert.IsType<RenderExecutor>(host.Services.GetRequiredService<IRenderExecutor>());
        Assert.IsType<FfprobeMediaProbe>(host.Services.GetRequiredService<IMediaProbe>());
        Assert.Same(host.Services.GetRequiredService<FfmpegLocator>(), host.Services.GetRequiredService<FfmpegLocator>());
        Assert.Equal(TimeSpan.FromSeconds(2), host.Services.GetRequiredService<IOptions<FfmpegOptions>>().Value.KillTimeout);
        await host.StopAsync();
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRendering();
        return builder.Build();
    }
}
