using FfmpegFunctions.Core.Retention;

namespace FfmpegFunctions.Server.Retention;

public static class RetentionSweepExtensions
{
    /// <summary>Retention settings and sweeper (Core), swept periodically by this instance (Storage:RetentionEnabled).</summary>
    public static IHostApplicationBuilder AddRetentionSweeps(this IHostApplicationBuilder builder)
    {
        builder.AddRetention();
        builder.Services.AddHostedService<RetentionSweepService>();
        return builder;
    }
}
