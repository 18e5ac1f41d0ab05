using System.Text.Json;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Http;

/// <summary>The Server's POST /api/uploads: presigned PUT URLs, through <see cref="UploadsApi.Create"/>.</summary>
public sealed class UploadsFunctions(IObjectStore objects, IOptions<S3Options> s3, TimeProvider clock)
{
    /// <summary>Twenty file names and media types fit easily; the Server's JSON binding has no smaller cap.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    [Function("CreateUploads")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "uploads")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // The Server binds the body with minimal-API JSON binding; here it is read explicitly, with the
        // same web defaults (camelCase, case-insensitive) and the same answers for empty and broken bodies.
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return new HttpResultAction(TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.", detail: $"An upload request is at most {MaxBodyBytes / 1024} KiB of JSON."));

        UploadRequest? upload;
        try
        {
            upload = body.Length == 0 ? null : JsonSerializer.Deserialize<UploadRequest>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            // What the Server's JSON binding answers (through status code pages): a bare 400 problem.
            return new HttpResultAction(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest));
        }
        return new HttpResultAction(UploadsApi.Create(upload, request.HttpContext, objects, s3, clock));
    }
}
