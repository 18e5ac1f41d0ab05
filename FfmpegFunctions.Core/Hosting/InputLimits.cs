using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Hosting;

public static class InputLimits
{
    /// <summary>Bodies are small JSON (media goes straight to storage through presigned URLs), so 1 MiB is plenty.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Nesting deeper than any document of ours; the composition parser has its own cap of 16.</summary>
    public const int MaxJsonDepth = 32;

    public static readonly TimeSpan OutboundTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Caps on what a client can send, and a timeout on every outbound HTTP call made through IHttpClientFactory.</summary>
    public static IHostApplicationBuilder AddInputLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = MaxJsonDepth);
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = OutboundTimeout));
        return builder;
    }
}
