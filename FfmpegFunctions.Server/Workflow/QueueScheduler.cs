using FfmpegFunctions.Core.Workflow;
using Npgsql;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>
/// In the Server the queued job row, written in the same transaction as the composition, is the schedule: scheduling
/// only wakes idle workers (NOTIFY) so pickup does not wait for a poll. Cancellation is the job's cancel_requested
/// flag, which the running worker's heartbeat notices within a second.
/// </summary>
internal sealed class QueueScheduler(NpgsqlDataSource dataSource) : IRenderScheduler
{
    public async Task ScheduleAsync(Guid compositionId, CancellationToken cancellationToken)
    {
        try
        {
            await using var notify = dataSource.CreateCommand($"SELECT pg_notify('{JobSignal.Channel}', @id)");
            notify.Parameters.AddWithValue("id", compositionId.ToString("D"));
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            // The composition is stored and queued already: idle workers find it at their next poll.
        }
    }

    public Task CancelAsync(Guid compositionId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
