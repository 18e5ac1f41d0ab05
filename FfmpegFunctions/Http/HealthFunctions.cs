using FfmpegFunctions.Core.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FfmpegFunctions.Functions.Http;

/// <summary>The Server's /healthz and /readyz under /api, open (no key), for Azure's health check and load balancers.</summary>
public sealed class HealthFunctions(HealthCheckService health)
{
    [Function("Healthz")]
    public async Task<IActionResult> HealthzAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request, CancellationToken cancellationToken)
    {
        await HealthEndpoints.AnswerAsync(request.HttpContext, health, ready: false, cancellationToken);
        return new EmptyResult();
    }

    [Function("Readyz")]
    public async Task<IActionResult> ReadyzAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "readyz")] HttpRequest request, CancellationToken cancellationToken)
    {
        await HealthEndpoints.AnswerAsync(request.HttpContext, health, ready: true, cancellationToken);
        return new EmptyResult();
    }
}
