using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Core.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddProblemDetails();

var app = builder.Build();

// `dotnet FfmpegFunctions.Server.dll migrate` applies migrations and exits (for deploy pipelines).
if (args.Contains("migrate"))
{
    await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
await app.RunAsync();

public partial class Program;
