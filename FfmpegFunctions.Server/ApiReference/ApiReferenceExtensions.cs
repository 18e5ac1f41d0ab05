using FfmpegFunctions.Core.Security;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace FfmpegFunctions.Server.ApiReference;

public static class ApiReferenceExtensions
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string PagePath = "/docs";

    /// <summary>The OpenAPI document (v1) with its introduction and the security schemes the guard enforces.</summary>
    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiIntroduction>();
            options.AddDocumentTransformer<ApiSecuritySchemes>();
            options.AddOperationTransformer<OpenOperations>();
            options.AddOperationTransformer<OpenApi.JsonRequestBodyTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// /openapi/v1.json and the reference page at /docs. The page works offline: Scalar.AspNetCore serves its own
    /// script from the assembly, and every option that would reach the vendor's servers (fonts, telemetry, the AI
    /// agent, MCP) or advertise its products (developer toolbar with "Deploy"/"Generate SDK", the client button) is off.
    /// </summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        // As for the console's settings: only Development hands out the bootstrap key (run.sh's local key, on loopback).
        var developmentKey = auth.Enabled && app.Environment.IsDevelopment() && auth.BootstrapKey is { Length: > 0 } key ? key : null;
        app.MapScalarApiReference(PagePath, options =>
        {
            options.WithTitle("FfmpegFunctions API")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .HideClientButton()
                .AddPreferredSecuritySchemes([ApiSecuritySchemes.ApiKey]);
            if (developmentKey is not null)
                options.AddApiKeyAuthentication(ApiSecuritySchemes.ApiKey, scheme => scheme.Value = developmentKey);
        });
        return app;
    }
}
