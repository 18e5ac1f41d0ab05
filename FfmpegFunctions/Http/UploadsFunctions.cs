using System.Globalization;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Http;

/// <summary>The Server's /api/uploads endpoints, each delegating to the same <see cref="UploadsApi"/> handler.</summary>
public sealed class UploadsFunctions(IObjectStore objects, UploadStore uploads, UploadConfirmer confirmer, IOptions<S3Options> s3, TimeProvider clock)
{
    [Function("CreateUploads")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "uploads")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await UploadsApi.CreateAsync(request, objects, uploads, s3, clock, cancellationToken));

    [Function("ListUploads")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "uploads")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (limit, cursor) = Paging(request);
        return new HttpResultAction(await UploadsApi.ListAsync(request.HttpContext, uploads, limit, cursor, cancellationToken));
    }

    [Function("GetUpload")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "uploads/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await UploadsApi.GetAsync(guid, request.HttpContext, uploads, cancellationToken));

    [Function("CompleteUpload")]
    public async Task<IActionResult> CompleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "uploads/{id}/complete")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await UploadsApi.CompleteAsync(guid, request.HttpContext, uploads, confirmer, cancellationToken));

    [Function("DeleteUpload")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "uploads/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await RouteId.AnswerAsync(id, async guid => await UploadsApi.DeleteAsync(guid, request.HttpContext, uploads, objects, cancellationToken));

    /// <summary>?limit and ?cursor as the Server binds them; a limit that is not a number is as out of range as 0.</summary>
    internal static (int? Limit, string? Cursor) Paging(HttpRequest request)
    {
        int? limit = null;
        if (request.Query.TryGetValue("limit", out var raw))
            limit = int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return (limit, request.Query.TryGetValue("cursor", out var cursor) ? cursor.ToString() : null);
    }
}
