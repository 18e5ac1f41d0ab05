using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// Runs one of Core's minimal-API results as the function's response. The ASP.NET Core integration
/// executes a returned <see cref="IActionResult"/> (FunctionsHttpProxyingMiddleware) but not an
/// <see cref="IResult"/>, so the handlers' Results&lt;...&gt; go through this adapter unchanged:
/// same status codes, headers and problem+json bodies as the Server.
/// </summary>
internal sealed class HttpResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
