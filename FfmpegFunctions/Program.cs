using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Realtime;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The Server's AddServiceDefaults() minus AddStructuredLogging(): that one calls ClearProviders(), which
// would also remove the worker's own logger provider, and then no log would reach the Functions host
// (nor Application Insights). Everything else is the same registration the Server uses.
builder.Services.AddHealthChecks();
builder.AddPostgres();
builder.AddRedis();
builder.AddS3Storage();

builder.AddRenderWorkflow();
builder.AddSignalRServiceEvents();
builder.Build().Run();
