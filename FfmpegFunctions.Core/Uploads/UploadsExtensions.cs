using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Uploads;

public static class UploadsExtensions
{
    /// <summary>Upload records and their confirmation (both hosts: the API confirms on /complete, the render at first use).</summary>
    public static IHostApplicationBuilder AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<UploadStore>();
        builder.Services.TryAddSingleton<UploadProbe>();
        builder.Services.TryAddSingleton<UploadConfirmer>();
        return builder;
    }
}
