using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Templates;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using FfmpegFunctions.Functions.Dispatch;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's /api/templates endpoints, each delegating to the same <see cref="TemplatesApi"/> handler; a render is
/// queued and started by the dispatcher like a create. Anonymous triggers: the API key is the one gate.
/// </summary>
public sealed class TemplatesFunctions(
    TemplateStore templates, CompositionStore store, WebhookTargetGuard callbacks, SourceCheck sources, RenderDispatcher dispatcher, FunctionsJobQueue queue,
    DryRunner dryRuns)
{
    [Function("CreateTemplate")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "templates")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await TemplatesApi.CreateAsync(request, templates, cancellationToken));

    [Function("ListTemplates")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (limit, cursor) = UploadsFunctions.Paging(request);
        return new HttpResultAction(await TemplatesApi.ListAsync(request.HttpContext, templates, limit, cursor, cancellationToken));
    }

    [Function("DeleteTemplate")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "templates/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await TemplatesApi.DeleteAsync(guid, request.HttpContext, templates, cancellationToken));

    [Function("GetTemplate")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        int? version = null;
        if (request.Query.TryGetValue("version", out var raw))
            version = int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return await RouteId.AnswerAsync(id, async guid => await TemplatesApi.GetAsync(guid, request.HttpContext, templates, version, cancellationToken));
    }

    [Function("UpdateTemplate")]
    public async Task<IActionResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "templates/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await TemplatesApi.UpdateAsync(guid, request, templates, cancellationToken));

    [Function("RenderTemplate")]
    public async Task<IActionResult> RenderAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "templates/{id}/render")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await TemplatesApi.RenderAsync(guid, request, templates, store, new DispatchingScheduler(dispatcher, queue, durable), callbacks, sources, dryRuns, cancellationToken));
}
