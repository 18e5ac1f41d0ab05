using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace FfmpegFunctions.Core.Hosting;

/// <summary>
/// A JSON request body read the same way in both hosts: the size cap, the content type, an empty body and malformed
/// JSON each answer a problem+json of their own, in plain words. Handlers read bodies through this rather than through
/// minimal-API binding, so the Functions app (which calls the same handlers) answers exactly as the Server does.
/// </summary>
public static class JsonBody
{
    public const string MalformedTitle = "The body is not valid JSON.";

    /// <param name="what">What the body is, for the size message ("A composition").</param>
    /// <param name="required">False where an empty body means "all defaults" (no content type is needed then).</param>
    public static async Task<JsonBodyRead> ReadAsync(HttpRequest request, int maxBytes, string what, bool required, int maxDepth,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
            return Fail(TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
                detail: $"{what} is at most {maxBytes / 1024} KiB of JSON."));
        if (body.Length == 0)
            return required
                ? Fail(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is empty.",
                    detail: $"Send {Lower(what)} as JSON with Content-Type: application/json."))
                : new JsonBodyRead(body, null, null);
        if (ContentTypeProblem(request.ContentType) is { } unsupported) return Fail(unsupported);
        try
        {
            return new JsonBodyRead(body, JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth }), null);
        }
        catch (JsonException ex)
        {
            var detail = "The body is not valid JSON: " + JsonSyntax.Describe(ex, body) + ".";
            return Fail(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MalformedTitle, detail: detail,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [""] = [detail] } }));
        }
    }

    /// <summary>application/json or any +json type (application/merge-patch+json, ...); a charset other than UTF-8 is refused.</summary>
    public static ProblemHttpResult? ContentTypeProblem(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request has no Content-Type.",
                detail: "Send the body as JSON with the header Content-Type: application/json.");
        if (MediaTypeHeaderValue.TryParse(contentType, out var media)
            && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
            && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
            return null;
        return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (Content-Type: application/json).",
            detail: $"The request says Content-Type: {contentType}; send the body as UTF-8 JSON with Content-Type: application/json.");
    }

    private static JsonBodyRead Fail(ProblemHttpResult problem) => new([], null, problem);

    private static string Lower(string what) => what.Length == 0 ? what : char.ToLowerInvariant(what[0]) + what[1..];
}

/// <summary>The bytes (hashed for idempotency), the parsed document (null for an allowed empty body) or the problem to answer.</summary>
public sealed record JsonBodyRead(byte[] Bytes, JsonDocument? Document, ProblemHttpResult? Problem) : IDisposable
{
    public void Dispose() => Document?.Dispose();
}

/// <summary>
/// Names an endpoint's JSON body for the OpenAPI document. Used instead of <c>Accepts&lt;T&gt;()</c>, whose metadata also
/// drives routing: a request with another content type would get routing's bare 415 before <see cref="JsonBody"/> could
/// answer in words, and the Functions app (no such routing) would answer differently.
/// </summary>
public sealed record JsonRequestBodyMetadata(Type RequestType);

public static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonRequestBodyMetadata(typeof(T)));
}
