using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's API policy in front of every HTTP trigger, and the only gate (the triggers are Anonymous,
/// so a deployed app needs no function key beside X-API-Key, exactly like the Server): an API key
/// (negotiate also takes it as a bearer token or access_token, as the Server's hub does) and the
/// key's rate limit shared through Redis with every other instance and host. A rejection is
/// written to the HTTP response and the function does not run. By path, as the Server's: /api/healthz and
/// /api/readyz are open, /api/admin needs the internal key, everything else an API key.
/// </summary>
internal sealed class ApiGuardMiddleware(ApiRequestGuard guard) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api/healthz") || path.StartsWithSegments("/api/readyz"))
        {
            await next(context);
            return;
        }
        if (!guard.Enabled)
        {
            guard.AdmitUnauthenticated(http);
        }
        else
        {
            var internalOnly = path.StartsWithSegments("/api/admin");
            var identity = await guard.AuthenticateAsync(http, acceptTokenForms: context.FunctionDefinition.Name == "negotiate", acceptBearer: internalOnly);
            if (identity is null) return;
            if (internalOnly && !identity.IsInternal)
            {
                await ProblemResponses.Problem(http, StatusCodes.Status403Forbidden, "This endpoint needs the internal key.", null);
                return;
            }
            if (!await guard.ThrottleAsync(http, identity)) return;
        }
        await next(context);
    }
}
