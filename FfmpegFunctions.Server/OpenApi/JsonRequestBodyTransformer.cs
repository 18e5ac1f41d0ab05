using FfmpegFunctions.Core.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FfmpegFunctions.Server.OpenApi;

/// <summary>
/// Describes the JSON body of endpoints marked with <see cref="JsonRequestBodyMetadata"/>: what Accepts&lt;T&gt;() would
/// document, without its routing rule (a bare 415 before the handler could say what is wrong).
/// </summary>
internal sealed class JsonRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBodyMetadata>().LastOrDefault() is not { } body) return;
        var schema = await context.GetOrCreateSchemaAsync(body.RequestType, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }
}
