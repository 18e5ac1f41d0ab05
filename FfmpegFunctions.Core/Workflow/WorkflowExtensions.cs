using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Workflow;

public static class WorkflowExtensions
{
    /// <summary>The compositions store, the render engine and the workflow's steps, shared by both hosts.</summary>
    public static IHostApplicationBuilder AddRenderWorkflow(this IHostApplicationBuilder builder)
    {
        builder.AddRendering();
        builder.AddWebhooks();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RenderPlanner>();
        builder.Services.AddSingleton<CompositionStore>();
        builder.Services.AddSingleton<RenderPlanStore>();
        builder.Services.TryAddSingleton<IRenderMetrics, NoRenderMetrics>();
        builder.Services.AddSingleton<PreviewProxies>();
        builder.Services.AddSingleton<RenderSteps>();
        builder.Services.AddOptions<RenderStepsOptions>()
            .BindConfiguration("Render")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WorkflowRetryOptions>()
            .BindConfiguration(WorkflowRetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
