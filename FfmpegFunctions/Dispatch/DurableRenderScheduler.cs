using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Core.Workflow.Hosting;
using RetryPolicy = FfmpegFunctions.Core.Workflow.Hosting.RetryPolicy;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FfmpegFunctions.Functions.Dispatch;

/// <summary>
/// Starts and stops the render orchestration of a composition; the instance id is the composition id.
/// Made per invocation from the function's [DurableClient] binding, which is where the client comes from; the
/// dispatcher decides when a composition starts (<see cref="RenderDispatcher"/>).
/// Both operations are idempotent: the client's answers for an existing or a missing instance depend on
/// the backend (a failed start, an RpcException NotFound on terminate), so each call looks first and
/// re-checks after a failure instead of relying on one error code.
/// </summary>
public sealed class DurableRenderScheduler(DurableTaskClient client, RetryPolicy retry) : IRenderScheduler
{
    public static string InstanceId(Guid compositionId) => compositionId.ToString("D");

    public async Task ScheduleAsync(Guid compositionId, CancellationToken cancellationToken)
    {
        var instanceId = InstanceId(compositionId);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null) return;
        try
        {
            // The job id is the composition id, as CompositionStore writes it. The retry policy in force now goes in the
            // input, so replays and a settings change mid-render decide as this start did.
            await client.ScheduleNewOrchestrationInstanceAsync(
                RenderWorkflow.Name, new RenderRequest(new RenderInput(compositionId, instanceId), retry), new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // Lost a race with another start of the same instance: that one is as good as ours.
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is null) throw;
        }
    }

    /// <remarks>
    /// Terminating stops the orchestration at once (no further steps, no waiting retries) but not an activity
    /// already running: <see cref="StepActivities"/>' stop poll stops that one (ffmpeg killed, nothing uploaded), its
    /// result is discarded, and Core's status guards keep any late write from overwriting the cancelled/deleted row.
    /// </remarks>
    public async Task CancelAsync(Guid compositionId, string reason, CancellationToken cancellationToken)
    {
        var instanceId = InstanceId(compositionId);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null || instance.IsCompleted) return;
        try
        {
            await client.TerminateInstanceAsync(instanceId, reason, cancellationToken);
        }
        catch (RpcException)
        {
            // NotFound or already finished in the meantime is what we wanted anyway.
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is { IsCompleted: false }) throw;
        }
    }
}
