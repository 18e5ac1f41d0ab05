using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Functions.Http;

/// <summary>The Server's POST /api/uploads: presigned PUT URLs, through <see cref="UploadsApi.CreateAsync"/> (which reads the body itself).</summary>
public sealed class UploadsFunctions(IObjectStore objects, IOptions<S3Options> s3, TimeProvider clock)
{
    [Function("CreateUploads")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "uploads")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new HttpResultAction(await UploadsApi.CreateAsync(request, objects, s3, clock, cancellationToken));
}
