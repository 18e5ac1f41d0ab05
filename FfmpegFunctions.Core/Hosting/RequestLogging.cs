using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Hosting;

public static class RequestLoggingExtensions
{
    /// <summary>One log line per request with method, path, status_code and duration_ms (inside the request id scope).</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLoggingMiddleware>();
}

internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsed = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            // The path only: query strings can carry secrets (the hub's access_token).
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", status, elapsed);
        }
    }

    [LoggerMessage(EventId = CoreEvents.HttpRequest, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {status_code} in {duration_ms} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status_code, double duration_ms);
}
