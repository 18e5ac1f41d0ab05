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
