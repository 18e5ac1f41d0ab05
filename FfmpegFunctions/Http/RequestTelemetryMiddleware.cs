using System.Diagnostics;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Functions.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// What the Server's RequestId, RequestLogging and RequestMetrics middlewares do, for HTTP functions: the
/// request id (the client's X-Request-ID when safe, else a new one) becomes TraceIdentifier (so problem+json
/// bodies carry it as requestId), the response header and the request_id logging scope; then one log line and
/// one metric per request. Outermost, so the guard's 401/429 answers are counted and carry the id too.
/// </summary>
internal sealed partial class RequestTelemetryMiddleware(FunctionsMetrics metrics, ILogger<RequestTelemetryMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        var offered = http.Request.Headers[RequestId.HeaderName].ToString();
        var id = RequestId.IsValid(offered) ? offered : RequestId.New();
        http.TraceIdentifier = id;
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[RequestId.HeaderName] = id;
            return Task.CompletedTask;
        });
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        using (logger.BeginScope(new Dictionary<string, object?> { [RequestId.ScopeField] = id }))
        {
            try
            {
                await next(context);
                failed = false;
            }
            finally
            {
                var status = failed && !http.Response.HasStarted ? StatusCodes.Status500InternalServerError : http.Response.StatusCode;
                var elapsed = Stopwatch.GetElapsedTime(started);
                // The path only: query strings can carry secrets (access_token).
                LogRequest(logger, http.Request.Method, http.Request.Path.Value ?? "/", status, Math.Round(elapsed.TotalMilliseconds, 1));
                metrics.RequestServed(context.FunctionDefinition.Name, http.Request.Method, status, elapsed);
            }
        }
    }

    [LoggerMessage(EventId = FunctionsEvents.HttpRequest, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {status_code} in {duration_ms} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status_code, double duration_ms);
}
