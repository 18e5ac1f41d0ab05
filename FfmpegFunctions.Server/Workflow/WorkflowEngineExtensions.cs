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
            .ValidateOnStart();
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<FfmpegFunctions.Core.Workflow.IRenderScheduler, QueueScheduler>();
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobSignal>());
        builder.Services.AddSingleton<WorkflowWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkflowWorker>());
        return builder;
    }
}
