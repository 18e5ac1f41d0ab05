using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Retention;

public static class RetentionExtensions
{
    /// <summary>The retention sweeper and its settings (section Storage); each host decides when to run it.</summary>
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration("Storage")
            .ValidateDataAnnotations()
            .Validate(o => o.AbandonedUploadRetention <= o.InputRetention,
                "The setting 'Storage:AbandonedUploadRetention' must not exceed 'Storage:InputRetention'.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<Uploads.UploadStore>();
        builder.Services.AddSingleton<RetentionSweeper>();
        return builder;
    }
}
