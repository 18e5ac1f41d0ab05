using FfmpegFunctions.Core.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Sources;

public static class SourcesExtensions
{
    /// <summary>Options, the creation check and the URL fetcher with its SSRF-guarded client; shared by both hosts.</summary>
    public static IHostApplicationBuilder AddSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SourceOptions>()
            .BindConfiguration("Sources")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SourceCheck>();
        builder.Services.AddSingleton<SourceFetcher>();
        builder.Services.AddHttpClient(SourceFetcher.ClientName, client =>
            {
                // The fetcher's own token carries Sources:DownloadTimeout over all the hops.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("FfmpegFunctions-Sources/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<SourceOptions>>().Value;
                return new SocketsHttpHandler
                {
                    ConnectCallback = (context, ct) => PublicTargets.ConnectAsync(context, settings.AllowPrivateTargets, settings.DnsTimeout, "source", ct),
                    ConnectTimeout = settings.ConnectTimeout,
                    // A redirect or a proxy would connect somewhere the checks did not see: the fetcher follows redirects itself.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            });
        return builder;
    }
}
