using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Uploads;

/// <summary>One file a client wants to upload.</summary>
/// <param name="Size">Bytes the client will PUT; over S3:MaxUploadBytes no URL is issued. Optional for older clients
/// (the render still refuses an input over Render:MaxInputBytes before downloading it).</param>
public sealed record UploadFile(string FileName, string ContentType, long? Size = null);

public sealed record UploadRequest(IReadOnlyList<UploadFile>? Files);

/// <summary>Where to PUT one file; the spec then references <see cref="Key"/> (or <see cref="UploadId"/>).</summary>
public sealed record UploadTarget(Guid UploadId, string Key, Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

public sealed record UploadResponse(IReadOnlyList<UploadTarget> Uploads);

/// <summary>Presigned PUT URLs under inputs/, so media goes from the client straight to storage.</summary>
public static partial class UploadsApi
{
    public const int MaxFilesPerRequest = 20;

    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/uploads").WithTags("Uploads");
        group.MapPost("/", Create).WithSummary("Presigned PUT URLs for input media");
        return group;
    }

    /// <remarks>Keys land in the caller's tenant folder (<see cref="StorageKeys.InputPrefix(string, Guid)"/>), the only inputs its compositions may name.</remarks>
    public static Results<Ok<UploadResponse>, ValidationProblem> Create(UploadRequest? request, HttpContext context, IObjectStore objects, IOptions<S3Options> s3, TimeProvider clock)
    {
        var tenant = Security.Tenants.Of(context);
        var files = request?.Files ?? [];
        var errors = new Dictionary<string, string[]>();
        if (files.Count is 0 or > MaxFilesPerRequest)
            errors["/files"] = [$"Send between 1 and {MaxFilesPerRequest} files."];
        for (var i = 0; i < files.Count && i < MaxFilesPerRequest; i++)
        {
            if (SafeFileName(files[i]?.FileName) is null)
                errors[$"/files/{i}/fileName"] = ["A file name of 1-200 characters with an extension, e.g. clip.mp4."];
            if (files[i]?.ContentType is not { } type || !ContentTypePattern().IsMatch(type))
                errors[$"/files/{i}/contentType"] = ["A media type such as video/mp4, image/png or audio/mpeg."];
            if (files[i]?.Size is { } size && (size < 1 || size > s3.Value.MaxUploadBytes))
                errors[$"/files/{i}/size"] = [$"A file is 1 to {s3.Value.MaxUploadBytes} bytes."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The upload request is invalid.");

        var expiry = s3.Value.PresignExpiry;
        var expiresAt = clock.GetUtcNow().Add(expiry);
        var targets = files.Select(f =>
        {
            var uploadId = Guid.CreateVersion7();
            var key = StorageKeys.Input(tenant, uploadId, SafeFileName(f.FileName)!);
            return new UploadTarget(uploadId, key, objects.PresignPut(key, f.ContentType, expiry), "PUT",
                new Dictionary<string, string> { ["Content-Type"] = f.ContentType }, expiresAt);
        }).ToList();
        return TypedResults.Ok(new UploadResponse(targets));
    }

    /// <summary>Keeps letters, digits, dot, dash and underscore, so a name can never steer the key.</summary>
    internal static string? SafeFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 200) return null;
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]).Trim('.');
        return safe.Length > 0 && Path.HasExtension(safe) ? safe : null;
    }

    [GeneratedRegex(@"^(video|audio|image)/[a-z0-9][a-z0-9.+-]{0,100}$")]
    private static partial Regex ContentTypePattern();
}
