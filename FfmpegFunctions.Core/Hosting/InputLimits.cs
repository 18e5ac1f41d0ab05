using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
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
        builder.AddClientErrorAnswers();
        return builder;
    }

    /// <summary>
    /// A request the client got wrong is a 4xx in every environment. In Development minimal APIs throw
    /// BadHttpRequestException on a body or parameter that does not bind (RouteHandlerOptions.ThrowOnBadRequest defaults
    /// to IsDevelopment, for the developer exception page), and UseExceptionHandler, which runs inside that page, answered
    /// it with a 500. So binding failures answer 400 everywhere, and any BadHttpRequestException that still reaches the
    /// exception handler (Kestrel's 413 for a chunked body over the limit, 408 for a body sent too slowly) keeps its status.
    /// </summary>
    public static IHostApplicationBuilder AddClientErrorAnswers(this IHostApplicationBuilder builder)
    {
        builder.Services.PostConfigure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex =>
            ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        return builder;
    }
}
