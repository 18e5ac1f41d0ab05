using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Functions.Http;
using FfmpegFunctions.Core.Retention;
using FfmpegFunctions.Core.Templates;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Realtime;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Console logging stays the worker's: its provider forwards logs to the Functions host and Application Insights.
builder.AddServiceDefaults(consoleLogging: false);
builder.AddApiKeyAuthentication();
builder.AddApiRateLimiting();
// Only HTTP invocations carry an HttpContext to guard; orchestrations and activities pass through.
builder.UseWhen<ApiGuardMiddleware>(context =>
    context.FunctionDefinition.InputBindings.Values.Any(b => b.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)));

builder.AddRenderWorkflow();
builder.AddTemplates();
builder.AddRetention();
builder.AddSignalRServiceEvents();
builder.Build().Run();
