using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Server.Workflow;

public static class WorkflowEngineExtensions
{
    /// <summary>The durable workflow engine on PostgreSQL (claims, leases, checkpoints, retries).</summary>
    public static IHostApplicationBuilder AddWorkflowEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkflowEngineOptions>()
            .BindConfiguration("Workflow")
            .ValidateDataAnnotations()
            .Validate(o => o.HeartbeatInterval * 3 <= o.LeaseDuration, "The setting 'Workflow:HeartbeatInterval' must be at most a third of 'Workflow:LeaseDuration'.")
            .Validate(o => PrioritiesAreValid(o.Priorities), "The setting 'Workflow:Priorities' must be 'all' or a comma-separated list of high, default, low.")
            .ValidateOnStart();
        builder.AddInstanceWorkFolder(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkflowEngineOptions>>().Value.InstanceId);
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<JobTasks>();
        builder.Services.AddSingleton<LeaseKeeper>();
        builder.Services.AddSingleton<TaskRunner>();
        builder.Services.AddSingleton<FfmpegFunctions.Core.Workflow.IRenderScheduler, QueueScheduler>();
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobSignal>());
        builder.Services.AddSingleton<WorkflowWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkflowWorker>());
        return builder;
    }

    private static bool PrioritiesAreValid(string? priorities)
    {
        try { _ = WorkflowEngineOptions.ParsePriorities(priorities); return true; }
        catch (FormatException) { return false; }
    }
}
