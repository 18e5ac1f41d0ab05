using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Hosting;

/// <summary>
/// The request id: the client's X-Request-ID when it is safe to echo (at most 128 of [A-Za-z0-9._:-]),
/// otherwise a new one. It becomes HttpContext.TraceIdentifier, the response header, the logging scope
/// field request_id and the requestId extension of every problem+json body.
/// </summary>
public static class RequestId
{
    public const string HeaderName = "X-Request-ID";
    public const string ScopeField = "request_id";
    public const int MaxLength = 128;

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && value.All(IsAllowed);

    public static string New() => Guid.CreateVersion7().ToString("N");

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    /// <summary>Problem details carry the request id, so a client's bug report names the log lines.</summary>
    public static IHostApplicationBuilder AddRequestId(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier);
        return builder;
    }

    /// <summary>First in the pipeline: everything after it (logs, problems, the job it creates) sees the id.</summary>
    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app) => app.UseMiddleware<RequestIdMiddleware>();
}

internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var offered = context.Request.Headers[RequestId.HeaderName].ToString();
        var id = RequestId.IsValid(offered) ? offered : RequestId.New();
        context.TraceIdentifier = id;
        // OnStarting, not now: the exception handler clears headers before writing its problem.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestId.HeaderName] = id;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object?> { [RequestId.ScopeField] = id }))
        {
            await next(context);
        }
    }
}
