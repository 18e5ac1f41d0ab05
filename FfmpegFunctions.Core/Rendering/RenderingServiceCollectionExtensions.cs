using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

public static class RenderingServiceCollectionExtensions
{
    /// <summary>Binds section "Ffmpeg" (validated at start) and registers the locator, probe and executor as singletons.</summary>
    public static IHostApplicationBuilder AddRendering(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FfmpegOptions>()
            .BindConfiguration(FfmpegOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<MediaLimits>()
            .BindConfiguration(MediaLimits.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FfmpegOptions>, FfmpegOptionsValidator>());
        builder.Services.TryAddSingleton<FfmpegLocator>();
        builder.Services.TryAddSingleton<ChildProcessLauncher>();
        builder.Services.TryAddSingleton<IMediaProbe, FfprobeMediaProbe>();
        builder.Services.TryAddSingleton<IRenderExecutor, RenderExecutor>();
        return builder;
    }
}
