using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>A handler that needed the caller and found none answers 401, like a request without a key: a request
/// the guard did not admit is refused, never served as the default tenant.</summary>
internal sealed class MissingCallerHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not MissingCallerException) return false;
        await ProblemResponses.Unauthorized(httpContext, "No authenticated caller.", exception.Message);
        return true;
    }
}
