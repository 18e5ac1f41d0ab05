using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace FfmpegFunctions.Server.ApiReference;

/// <summary>The document's title and introduction (markdown; the reference page opens with it).</summary>
internal sealed class ApiIntroduction(IOptions<AuthOptions> auth, IOptions<JwtOptions> jwt) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "FfmpegFunctions API";
        document.Info.Description = Text(auth.Value.Enabled, jwt.Value.Enabled);
        return Task.CompletedTask;
    }

    internal static string Text(bool keyRequired, bool jwt) => $"""
        FfmpegFunctions renders videos from JSON compositions: clips from object storage with trims and transitions,
        image and text overlays, a music bed and output settings. A render runs as a durable, retried workflow; you
        follow its progress and download the result through presigned URLs. Every error is `application/problem+json`,
        and an invalid composition lists each problem under `errors`, keyed by the JSON pointer of the field at fault.

        The composition format is specified in `docs/composition-spec.md` in the source repository
        (JSON Schema: `docs/composition.schema.json`).

        ## Authentication

        {(keyRequired ? Authentication(jwt) : "This deployment runs with `Auth:Enabled` off: no key is needed.")}

        ## Your first render in five steps

        1. **Upload**: `POST /api/uploads` with the file names and content types answers one presigned `PUT` URL per file.
        2. **Put** each file to its URL (straight to storage; that request takes no key).
        3. **Create**: `POST /api/compositions` with a spec whose clip `source` is the returned key or upload id: `202` with the `id`.
        4. **Follow**: `GET /api/compositions/{"{id}"}` shows the status, step and progress (live: the SignalR hub `/hubs/compositions`).
        5. **Download**: once `completed`, `GET /api/compositions/{"{id}"}/download` answers presigned URLs of the video and its thumbnail.

        `POST /api/samples` generates test media and answers a ready spec, to try step 3 without uploading anything.
        """;

    private static string Authentication(bool jwt) => $"""
        Send an API key in the `X-API-Key` header{(jwt ? ", or a JWT from your identity provider as `Authorization: Bearer <token>`" : "")}.
        `./run.sh` prints a development key; real keys are created with `POST /api/keys` (admin) and are shown once.
        On this page, paste the key into **Value** under Authentication (the `{ApiSecuritySchemes.ApiKey}` scheme, header `X-API-Key`):
        every "Test Request" then sends it. The page keeps it only while it is open.
        The health probes (`/healthz`, `/readyz`), this page and `/openapi/v1.json` need no key.
        """;
}
