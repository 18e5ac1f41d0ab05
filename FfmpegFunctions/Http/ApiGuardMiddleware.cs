using FfmpegFunctions.Core.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's API policy in front of every HTTP trigger, and the only gate (the triggers are Anonymous,
/// so a deployed app needs no function key beside X-API-Key, exactly like the Server): an API key
/// (negotiate also takes it as a bearer token or access_token, as the Server's hub does) and the
/// key's rate limit shared through Redis with every other instance and host. A rejection is
/// written to the HTTP response and the function does not run.
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
        if (!guard.Enabled)
        {
            guard.AdmitUnauthenticated(http);
        }
        else
        {
            var identity = await guard.AuthenticateAsync(http, acceptTokenForms: context.FunctionDefinition.Name == "negotiate");
            if (identity is null || !await guard.ThrottleAsync(http, identity)) return;
        }
        await next(context);
    }
}
