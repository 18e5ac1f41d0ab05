using System.Text.Json;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Hosting;
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

    /// <summary>Twenty file names and media types fit easily.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/uploads").WithTags("Uploads");
        group.MapPost("/", CreateAsync).WithSummary("Presigned PUT URLs for input media").Accepts<UploadRequest>("application/json");
        return group;
    }

    /// <summary>
    /// Reads the body itself, as the compositions and templates handlers do, rather than through minimal-API binding: the
    /// Functions app answers with this very method, a type mismatch is reported at its pointer, and the strings are checked
    /// (<see cref="JsonText"/>) before anything reads them.
    /// </summary>
    /// <remarks>Keys land in the caller's tenant folder (<see cref="StorageKeys.InputPrefix(string, Guid)"/>), the only inputs its compositions may name.</remarks>
    public static async Task<Results<Ok<UploadResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IObjectStore objects, IOptions<S3Options> s3, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
                detail: $"An upload request is at most {MaxBodyBytes / 1024} KiB of JSON.");

        UploadRequest? upload = null;
        if (body.Length > 0)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = InputLimits.MaxJsonDepth });
            }
            catch (JsonException ex)
            {
                return Invalid("", "is not valid JSON: " + ex.Message);
            }
            using (document)
            {
                if (JsonText.Check(document.RootElement) is { Count: > 0 } unreadable) return CompositionsApi.Invalid(unreadable, "The upload request is invalid.");
                try
                {
                    upload = document.Deserialize<UploadRequest>(JsonSerializerOptions.Web);
                }
                catch (JsonException ex)
                {
                    return Invalid(JsonPointer.FromPath(ex.Path), "must be {\"files\": [{\"fileName\": \"clip.mp4\", \"contentType\": \"video/mp4\", \"size\": bytes}]}: " + ex.Message);
                }
            }
        }
        return Create(upload, Security.Tenants.Of(request.HttpContext), objects, s3.Value, clock);
    }

    private static Results<Ok<UploadResponse>, ValidationProblem, ProblemHttpResult> Create(UploadRequest? request, string tenant, IObjectStore objects, S3Options s3, TimeProvider clock)
    {
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
            if (files[i]?.Size is { } size && (size < 1 || size > s3.MaxUploadBytes))
                errors[$"/files/{i}/size"] = [$"A file is 1 to {s3.MaxUploadBytes} bytes."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The upload request is invalid.");

        var expiresAt = clock.GetUtcNow().Add(s3.PresignExpiry);
        var targets = files.Select(f =>
        {
            var uploadId = Guid.CreateVersion7();
            var key = StorageKeys.Input(tenant, uploadId, SafeFileName(f.FileName)!);
            return new UploadTarget(uploadId, key, objects.PresignPut(key, f.ContentType, s3.PresignExpiry), "PUT",
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

    private static ValidationProblem Invalid(string pointer, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [pointer] = [message] }, title: "The upload request is invalid.",
            detail: "Each key of 'errors' is a JSON pointer to the field at fault.");

    [GeneratedRegex(@"^(video|audio|image)/[a-z0-9][a-z0-9.+-]{0,100}$")]
    private static partial Regex ContentTypePattern();
}
