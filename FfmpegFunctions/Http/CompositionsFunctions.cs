using System.Globalization;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's /api/compositions endpoints, route for route (host.json keeps the "api" prefix), each
/// delegating to the same <see cref="CompositionsApi"/> handler. Only the scheduler differs: a Durable
/// orchestration whose instance id is the composition id, built per call from the bound client.
/// </summary>
public sealed class CompositionsFunctions(
    CompositionStore store, IObjectStore objects, ICompositionEventSink events, WebhookTargetGuard callbacks, IOptions<S3Options> s3, TimeProvider clock)
{
    [Function("CreateComposition")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "compositions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        var scheduler = new DurableRenderScheduler(durable);
        var result = await CompositionsApi.CreateAsync(request, store, scheduler, callbacks, cancellationToken);

        // A replayed create that is still queued may be the retry of a request whose scheduling failed after
        // the row was stored; scheduling is idempotent, so make sure its orchestration exists.
        if (result.Result is Accepted<CompositionCreated> { Value.Status: CompositionStatus.Queued } accepted
            && request.HttpContext.Response.Headers.ContainsKey("Idempotent-Replayed"))
        {
            await scheduler.ScheduleAsync(accepted.Value!.Id, cancellationToken);
        }
        return new HttpResultAction(result);
    }

    [Function("ListCompositions")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "compositions")] HttpRequest request,
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
        return new HttpResultAction(await CompositionsApi.ListAsync(request.HttpContext, store, cancellationToken, status, limit, cursor));
    }

    [Function("GetComposition")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "compositions/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await CompositionsApi.GetAsync(id, request.HttpContext, store, cancellationToken));

    [Function("DownloadComposition")]
    public async Task<IActionResult> DownloadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "compositions/{id:guid}/download")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await CompositionsApi.DownloadAsync(id, request.HttpContext, store, objects, s3, clock, cancellationToken));

    [Function("CancelComposition")]
    public async Task<IActionResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "compositions/{id:guid}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        Guid id,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await CompositionsApi.CancelAsync(id, request.HttpContext, store, new DurableRenderScheduler(durable), events, clock, cancellationToken));

    [Function("DeleteComposition")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "compositions/{id:guid}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        Guid id,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await CompositionsApi.DeleteAsync(id, request.HttpContext, store, objects, new DurableRenderScheduler(durable), events, clock, cancellationToken));
}
