using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Templates;

public static class TemplatesExtensions
{
    /// <summary>Stored composition templates (both hosts).</summary>
    public static IHostApplicationBuilder AddTemplates(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TemplateStore>();
        return builder;
    }
}
