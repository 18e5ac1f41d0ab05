using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Functions.Realtime;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Console logging stays the worker's: its provider forwards logs to the Functions host and Application Insights.
builder.AddServiceDefaults(consoleLogging: false);

builder.AddRenderWorkflow();
builder.AddSignalRServiceEvents();
builder.Build().Run();
