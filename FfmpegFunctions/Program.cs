using FfmpegFunctions.Functions.Hosting;
using FfmpegFunctions.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddFunctionsApp();
builder.UseHttpPipeline();
builder.Build().Run();
