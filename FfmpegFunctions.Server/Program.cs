using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Samples;
using FfmpegFunctions.Core.Templates;
using FfmpegFunctions.Core.Uploads;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Server.Console;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Server.Retention;
using FfmpegFunctions.Server.Webhooks;
using FfmpegFunctions.Server.Workflow;
using Scalar.AspNetCore;

// `dotnet FfmpegFunctions.Server.dll hash-key <key>` prints the hash to put in Auth:InternalKeyHash.
if (args is ["hash-key", var plaintext])
{
    Console.WriteLine(ApiKeyHash.Compute(plaintext));
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInputLimits();
builder.AddRequestId();
builder.AddServiceMetrics();
builder.AddApiKeyAuthentication();
builder.AddApiRateLimiting();
builder.AddApiCors();
builder.AddRenderWorkflow();
builder.AddTemplates();
builder.AddWorkflowEngine();
builder.AddWebhookDispatcher();
builder.AddRetentionSweeps();
builder.AddRealtime();
builder.AddSamples();
builder.Services.AddOpenApi(o => o.AddOperationTransformer<FfmpegFunctions.Server.OpenApi.JsonRequestBodyTransformer>());

var app = builder.Build();

// `dotnet FfmpegFunctions.Server.dll migrate` applies migrations and exits (for deploy pipelines).
if (args.Contains("migrate"))
{
    await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    return;
}

// Outermost first. CORS runs before authentication on purpose: it answers preflights (which never
// carry the key) and puts its headers on 401 and 429 answers too, so a browser can read them.
app.UseRequestId();
app.UseRequestLogging();
app.UseRequestMetrics();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebConsole();
app.UseApiCors();
app.UseApiKeyAuthentication();
app.UseApiRateLimiting();

app.MapHealthEndpoints();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs");
app.MapServiceMetrics();
app.MapApiKeysAdmin();
app.MapCompositionsApi();
app.MapTemplatesApi();
app.MapUploadsApi();
app.MapSamplesApi();
app.MapHub<CompositionsHub>(CompositionsHub.Path);
await app.RunAsync();

public partial class Program;
