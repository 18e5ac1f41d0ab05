using System.Globalization;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using FfmpegFunctions.Functions.Dispatch;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's /api/compositions endpoints, route for route (host.json keeps the "api" prefix), each
/// delegating to the same <see cref="CompositionsApi"/> handler. Only the scheduler differs: the
/// dispatcher starts Durable orchestrations (instance id = composition id) with the bound client.
/// Triggers are Anonymous: the API key (ApiGuardMiddleware) is the one gate, as on the Server.
/// </summary>
public sealed class CompositionsFunctions(
    CompositionStore store, IObjectStore objects, ICompositionEventSink events, WebhookTargetGuard callbacks, SourceCheck sources, IOptions<S3Options> s3, TimeProvider clock,
    RenderDispatcher dispatcher, FunctionsJobQueue queue, DryRunner dryRuns)
{
    [Function("CreateComposition")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "compositions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        // The job row is committed with the composition; the dispatcher starts it (or a more urgent one) now, and
        // its timer does if this kick fails, so a composition is never left queued.
        var result = await CompositionsApi.CreateAsync(request, store, Scheduler(durable), callbacks, sources, dryRuns, cancellationToken);
        return new HttpResultAction(result);
    }

    [Function("ListCompositions")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "compositions")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var rawLimit))
        {
            // Not a number is as out of range as 0: the handler answers with its own validation problem.
            limit = int.TryParse(rawLimit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        }
        var status = query.TryGetValue("status", out var rawStatus) ? rawStatus.ToString() : null;
        var cursor = query.TryGetValue("cursor", out var rawCursor) ? rawCursor.ToString() : null;
        return new HttpResultAction(await CompositionsApi.ListAsync(request.HttpContext, store, status, limit, cursor, cancellationToken));
    }

    [Function("GetComposition")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "compositions/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await CompositionsApi.GetAsync(guid, request.HttpContext, store, cancellationToken));

    [Function("GetCompositionSteps")]
    public async Task<IActionResult> StepsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "compositions/{id}/steps")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await CompositionsApi.StepsAsync(guid, request.HttpContext, store, cancellationToken));

    [Function("DownloadComposition")]
    public async Task<IActionResult> DownloadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "compositions/{id}/download")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await CompositionsApi.DownloadAsync(guid, request.HttpContext, store, objects, s3, clock, cancellationToken));

    [Function("CancelComposition")]
    public async Task<IActionResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "compositions/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await CompositionsApi.CancelAsync(guid, request.HttpContext, store, Scheduler(durable), events, clock, cancellationToken));

    [Function("DeleteComposition")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "compositions/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await CompositionsApi.DeleteAsync(guid, request.HttpContext, store, objects, Scheduler(durable), events, clock, cancellationToken));

    private DispatchingScheduler Scheduler(DurableTaskClient durable) => new(dispatcher, queue, durable);
}
