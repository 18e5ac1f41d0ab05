using Microsoft.Extensions.Options;

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
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkflowWorker>().EnabledOr(sp));
        return builder;
    }

    private static IHostedService EnabledOr(this WorkflowWorker worker, IServiceProvider services) =>
        services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.Enabled ? worker : new NoWorker();

    private sealed class NoWorker : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
