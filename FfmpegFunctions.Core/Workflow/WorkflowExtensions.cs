using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Metrics;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Uploads;
using FfmpegFunctions.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using FfmpegFunctions.Core.Workflow.Hosting;
using FfmpegFunctions.Core.Workflow.Steps;

namespace FfmpegFunctions.Core.Workflow;

public static class WorkflowExtensions
{
    /// <summary>The compositions store, the render engine and the workflow's steps, shared by both hosts.</summary>
    public static IHostApplicationBuilder AddRenderWorkflow(this IHostApplicationBuilder builder)
    {
        builder.AddRendering();
        builder.AddWebhooks();
        // The probe step confirms uploads nobody confirmed, so the uploads feature comes with the workflow.
        builder.AddUploads();
        builder.AddSources();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RenderPlanner>();
        builder.Services.AddSingleton<CompositionStore>();
        builder.Services.AddSingleton<RenderPlanStore>();
        builder.Services.TryAddSingleton<IRenderMetrics, NoRenderMetrics>();
        builder.Services.AddSingleton<PreviewProxies>();
        builder.Services.AddSingleton<RenderJobStore>();
        builder.Services.AddSingleton<RenderThroughput>();
        builder.Services.AddSingleton<DryRunner>();
        builder.AddWorkflowSteps();
        builder.Services.AddOptions<RenderOptions>()
            .BindConfiguration("Render")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WorkflowRetryOptions>()
            .BindConfiguration(WorkflowRetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>The steps, what they share, and the host that runs them for either engine.</summary>
    private static void AddWorkflowSteps(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<JobWorkspace>();
        services.AddSingleton<WorkLoader>();
        services.AddSingleton<InputResolver>();
        services.AddSingleton<ProgressForwarder>();
        services.AddSingleton<PlanRunner>();
        services.AddSingleton<PartRendering>();
        services.AddSingleton<JobCleanup>();
        services.AddSingleton<MarkProcessingStep>();
        services.AddSingleton<ProbeInputsStep>();
        services.AddSingleton<PlanStep>();
        services.AddSingleton<RenderStep>();
        services.AddSingleton<RenderSegmentStep>();
        services.AddSingleton<RenderAudioStep>();
        services.AddSingleton<JoinStep>();
        services.AddSingleton<PublishStep>();
        services.AddSingleton<MarkCompletedStep>();
        services.AddSingleton<MarkFailedStep>();
        services.AddSingleton<StepHandlers>();
        services.AddSingleton<StepJournal>();
        services.AddSingleton<StepHost>();
    }

    /// <summary>
    /// Renders of this process work in a folder of their own under Render:WorkDirectory, claimed (and every dead
    /// process's folder swept) when first needed: processes on one machine may share the setting, a helper removing its
    /// copies of a job's inputs must not remove another's, and nothing a crash left outlives the next start.
    /// </summary>
    public static IHostApplicationBuilder AddInstanceWorkFolder(this IHostApplicationBuilder builder, Func<IServiceProvider, string> instanceId)
    {
        builder.Services.AddSingleton(sp => new InstanceWorkFolder(
            sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Render:WorkDirectory"] is { Length: > 0 } root ? root : new RenderOptions().WorkDirectory,
            instanceId(sp),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InstanceWorkFolder>>()));
        builder.Services.AddOptions<RenderOptions>()
            .PostConfigure<InstanceWorkFolder>((render, folder) => render.WorkDirectory = folder.Path);
        return builder;
    }
}
