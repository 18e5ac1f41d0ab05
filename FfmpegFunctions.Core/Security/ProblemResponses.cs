using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>problem+json answers written by middleware, through the same IProblemDetailsService as the endpoints (so they carry requestId).</summary>
public static class ProblemResponses
{
    public static Task Unauthorized(HttpContext context, string title, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "ApiKey";
        return Problem(context, StatusCodes.Status401Unauthorized, title, detail);
    }

    public static Task Problem(HttpContext context, int status, string title, string? detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
