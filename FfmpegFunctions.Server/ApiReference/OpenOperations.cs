using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FfmpegFunctions.Server.ApiReference;

/// <summary>
/// An operation on a path that needs no credential (probes, the console's settings, anything outside /api, /hubs,
/// /metrics and /admin) gets an explicit empty security list, which overrides the document-wide requirement, so the
/// reference shows it as open. The rule is the guard's own, so the description cannot drift from what is enforced.
/// </summary>
internal sealed class OpenOperations : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
        if (!ApiRequestGuard.NeedsCredentials(path)) operation.Security = [];
        return Task.CompletedTask;
    }
}
