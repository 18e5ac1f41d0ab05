using System.Collections.Frozen;
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

    /// <summary>Still images ffmpeg decodes (image2 and the gif/webp demuxers). Not SVG, HEIC or ICO: no render could read them.</summary>
    private static readonly FrozenSet<string> RasterImages = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "image/png", "image/apng", "image/jpeg", "image/webp", "image/gif", "image/bmp", "image/x-ms-bmp", "image/tiff");

    /// <summary>What browsers and tools call SRT and WebVTT files; only for names ending in .srt or .vtt (captions.source).</summary>
    private static readonly FrozenSet<string> CaptionTypes = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "text/plain", "application/x-subrip", "text/vtt");

    private const string AllowedTypes =
        "Use a type a render can read: video/* or audio/* (e.g. video/mp4, audio/mpeg), image/png, image/jpeg, image/webp, image/gif, "
        + "image/bmp or image/tiff, or for a .srt or .vtt captions file text/plain, application/x-subrip or text/vtt (optionally with ; charset=utf-8).";

    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/uploads").WithTags("Uploads");
        group.MapPost("/", CreateAsync).WithSummary("Presigned PUT URLs for input media").AcceptsJson<UploadRequest>();
        group.MapGet("/", ListAsync).WithSummary("Your uploads, newest first (keyset paging), with how many compositions use each");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One upload");
        group.MapPost("/{id:guid}/complete", CompleteAsync).WithSummary("Check the stored file (size, type, media) before use; a refused one is deleted");
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete an upload's file and record (409 while a queued or running composition uses it)");
        return group;
    }

    /// <summary>
    /// Reads the body itself, as the compositions and templates handlers do, rather than through minimal-API binding: the
    /// Functions app answers with this very method, a type mismatch is reported at its pointer, and the strings are checked
    /// (<see cref="JsonText"/>) before anything reads them.
    /// </summary>
    /// <remarks>Keys land in the caller's tenant folder (<see cref="StorageKeys.InputPrefix(string, Guid)"/>), the only inputs its compositions may name.</remarks>
    public static async Task<Results<Ok<UploadResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IObjectStore objects, UploadStore uploads, IOptions<S3Options> s3, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var body = await JsonBody.ReadAsync(request, MaxBodyBytes, "An upload request", required: false, InputLimits.MaxJsonDepth, cancellationToken);
        if (body.Problem is { } problem) return problem;

        UploadRequest? upload = null;
        if (body.Document is { } document)
        {
            if (JsonText.Check(document.RootElement) is { Count: > 0 } unreadable) return CompositionsApi.Invalid(unreadable, "The upload request is invalid.");
            try
            {
                upload = document.Deserialize<UploadRequest>(JsonSerializerOptions.Web);
            }
            catch (JsonException ex)
            {
                // The serializer's message names .NET types; the pointer and the expected shape say it for a client.
                return Invalid(JsonPointer.FromPath(ex.Path), "has the wrong JSON type: the body must be {\"files\": [{\"fileName\": \"clip.mp4\", \"contentType\": \"video/mp4\", \"size\": bytes}]}.");
            }
        }
        var tenant = Security.Tenants.Of(request.HttpContext);
        var result = Create(upload, tenant, objects, s3.Value, clock);
        // Recorded before the URLs leave: an upload the client can PUT is always one it can list, confirm and delete.
        if (result.Result is Ok<UploadResponse> { Value: { } created })
        {
            var files = upload!.Files!;
            await uploads.AddAsync(tenant, [.. created.Uploads.Select((t, i) => new UploadRecord(t.UploadId, tenant, t.Key, SafeFileName(files[i].FileName)!,
                files[i].ContentType, files[i].Size, UploadStatus.Pending, null))], cancellationToken);
        }
        return result;
    }

    private static Results<Ok<UploadResponse>, ValidationProblem, ProblemHttpResult> Create(UploadRequest? request, string tenant, IObjectStore objects, S3Options s3, TimeProvider clock)
    {
        var files = request?.Files ?? [];
        var errors = new Dictionary<string, string[]>();
        if (files.Count is 0 or > MaxFilesPerRequest)
            errors["/files"] = [$"Send between 1 and {MaxFilesPerRequest} files."];
        for (var i = 0; i < files.Count && i < MaxFilesPerRequest; i++)
        {
            var fileName = SafeFileName(files[i]?.FileName);
            if (fileName is null)
                errors[$"/files/{i}/fileName"] = ["A file name of 1-200 characters with an extension, e.g. clip.mp4."];
            if (!IsRenderable(files[i]?.ContentType, fileName))
                errors[$"/files/{i}/contentType"] = [AllowedTypes];
            if (files[i]?.Size is { } size && (size < 1 || size > s3.MaxUploadBytes))
                errors[$"/files/{i}/size"] = [$"A file is 1 to {s3.MaxUploadBytes} bytes."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The upload request is invalid.");

        var expiresAt = clock.GetUtcNow().Add(s3.PresignExpiry);
        var targets = files.Select(f =>
        {
            var uploadId = Guid.CreateVersion7();
            var key = StorageKeys.Input(tenant, uploadId, SafeFileName(f.FileName)!);
            // The PUT must send exactly these headers (the signed type, parameters included; the blob type on Azure).
            return new UploadTarget(uploadId, key, objects.PresignPut(key, f.ContentType, s3.PresignExpiry), "PUT",
                objects.PutHeaders(f.ContentType), expiresAt);
        }).ToList();
        return TypedResults.Ok(new UploadResponse(targets));
    }

    public static async Task<Results<Ok<UploadPage>, ValidationProblem>> ListAsync(
        HttpContext context, UploadStore uploads, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100) return Validation("limit", "The limit must be between 1 and 100.");
        try
        {
            return TypedResults.Ok(await uploads.ListAsync(Security.Tenants.Of(context), limit ?? 20, cursor, cancellationToken));
        }
        catch (FormatException ex)
        {
            return Validation("cursor", ex.Message);
        }
    }

    public static async Task<Results<Ok<UploadView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context, UploadStore uploads, CancellationToken cancellationToken) =>
        await uploads.GetAsync(id, Security.Tenants.Of(context), cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id);

    /// <summary>
    /// Confirms an upload: 200 with what was stored, 422 (and the object deleted) when it is refused, 409 while nothing
    /// has been PUT yet. Confirming again answers the same; a refused upload stays refused (ask for a new URL).
    /// </summary>
    public static async Task<Results<Ok<UploadView>, ProblemHttpResult>> CompleteAsync(
        Guid id, HttpContext context, UploadStore uploads, UploadConfirmer confirmer, CancellationToken cancellationToken)
    {
        var tenant = Security.Tenants.Of(context);
        if (await uploads.GetRecordAsync(id, tenant, cancellationToken) is not { } record) return NotFound(id);
        var result = await confirmer.ConfirmAsync(record, cancellationToken);
        return result.Outcome switch
        {
            ConfirmOutcome.NotUploaded => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The file has not been uploaded yet.",
                detail: $"Nothing is stored at '{record.Key}': PUT the file to the upload's URL first, then complete it."),
            ConfirmOutcome.Rejected => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The upload was refused and deleted.",
                detail: $"'{record.FileName}' was refused: {result.Reason} Ask for a new upload URL to send another file.",
                extensions: new Dictionary<string, object?> { ["pointer"] = "", ["key"] = record.Key }),
            _ => TypedResults.Ok((await uploads.GetAsync(id, tenant, cancellationToken))!),
        };
    }

    /// <summary>Deletes the upload's objects (its preview proxy included) and its record; refused while a render still needs it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext context, UploadStore uploads, IObjectStore objects, CancellationToken cancellationToken)
    {
        var tenant = Security.Tenants.Of(context);
        if (await uploads.GetRecordAsync(id, tenant, cancellationToken) is not { } record) return NotFound(id);
        if (await uploads.ActiveUsersAsync(id, cancellationToken) is { Count: > 0 } users)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The upload is in use.",
                detail: $"Composition {string.Join(", ", users)} is queued or rendering with '{record.Key}'; delete the upload once it has finished (or cancel it).",
                extensions: new Dictionary<string, object?> { ["compositions"] = users });
        await objects.DeletePrefixAsync(StorageKeys.InputPrefix(tenant, id), cancellationToken);
        await uploads.DeleteAsync(id, tenant, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A .srt or .vtt sent with a captions type: checked by the captions parser, not ffprobe.</summary>
    internal static bool IsCaptions(string contentType, string fileName)
    {
        var match = ContentTypePattern().Match(contentType);
        return match.Success && CaptionTypes.Contains(match.Groups["type"].Value)
            && (fileName.EndsWith(".srt", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".vtt", StringComparison.OrdinalIgnoreCase));
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload.", detail: $"There is no upload {id}.");

    private static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid.");

    /// <summary>
    /// Only what a render can use: an upload no render reads is storage spent for nothing, and a type such as SVG or HTML
    /// served back from the bucket is script. <paramref name="safeFileName"/> decides whether a text type is a captions file.
    /// </summary>
    internal static bool IsRenderable(string? contentType, string? safeFileName)
    {
        if (contentType is null) return false;
        var match = ContentTypePattern().Match(contentType);
        if (!match.Success) return false;
        var type = match.Groups["type"].Value;
        var charset = match.Groups["charset"];
        if (CaptionTypes.Contains(type))
            return safeFileName is not null
                && (safeFileName.EndsWith(".srt", StringComparison.OrdinalIgnoreCase) || safeFileName.EndsWith(".vtt", StringComparison.OrdinalIgnoreCase));
        // Media types take no parameters: "video/mp4; codecs=..." would have to be repeated exactly by every PUT for nothing.
        if (charset.Success) return false;
        return type.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
            || RasterImages.Contains(type);
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

    /// <summary>
    /// type/subtype, then at most a UTF-8 charset (the captions reader decodes UTF-8; nothing else is read). Nothing that
    /// could break out of the signed Content-Type header.
    /// </summary>
    [GeneratedRegex("""^(?<type>[a-z]+/[a-z0-9][a-z0-9.+-]{0,100})( ?; ?charset=(?<charset>utf-8|"utf-8"))?\z""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContentTypePattern();
}
