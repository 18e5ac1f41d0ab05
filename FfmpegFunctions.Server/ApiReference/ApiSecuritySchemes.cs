using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace FfmpegFunctions.Server.ApiReference;

/// <summary>
/// Declares what the Server really accepts (ApiRequestGuard): an API key in X-API-Key, and, only when Auth:Jwt is
/// configured, a JWT as "Authorization: Bearer". Either satisfies the document-wide requirement, so a reference UI
/// sends the credential with "try it". With Auth:Enabled off nothing is required and nothing is declared.
/// </summary>
internal sealed class ApiSecuritySchemes(IOptions<AuthOptions> auth, IOptions<JwtOptions> jwt) : IOpenApiDocumentTransformer
{
    public const string ApiKey = "ApiKey";
    public const string Bearer = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (!auth.Value.Enabled) return Task.CompletedTask;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiRequestGuard.HeaderName,
            Description = "An API key of your tenant (POST /api/keys as an admin, or the key an operator gave you).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, document)] = [] }];
        if (jwt.Value.Enabled)
        {
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A JWT from your identity provider, with the '{jwt.Value.TenantClaim}' claim and optionally '{jwt.Value.RoleClaim}'.",
            };
            // Two requirements: either one is enough (one requirement naming both would need both).
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
        }
        return Task.CompletedTask;
    }
}
