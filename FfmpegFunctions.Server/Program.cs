using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Samples;
using FfmpegFunctions.Core.Uploads;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Server.Console;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Server.Workflow;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRenderWorkflow();
builder.AddWorkflowEngine();
builder.AddRealtime();
builder.AddSamples();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

// `dotnet FfmpegFunctions.Server.dll migrate` applies migrations and exits (for deploy pipelines).
if (args.Contains("migrate"))
{
    await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebConsole();
app.MapHealthEndpoints();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs");
app.MapCompositionsApi();
app.MapUploadsApi();
app.MapSamplesApi();
app.MapHub<CompositionsHub>(CompositionsHub.Path);
await app.RunAsync();

public partial class Program;
