using Npgsql;

namespace FfmpegFunctions.Server.Workflow;

/// <summary>Wakes idle workers when a job is queued (PostgreSQL LISTEN/NOTIFY), so pickup does not wait for the poll.</summary>
public sealed partial class JobSignal(NpgsqlDataSource dataSource, ILogger<JobSignal> logger) : BackgroundService
{
    public const string Channel = "jobs_queued";

    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await signal.WaitAsync(timeout, cancellationToken);
    }

    public void Notify()
    {
        try { signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                Notify(); // jobs queued while we were not listening
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
            {
                LogListenFailed(logger, ex);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    public override void Dispose()
    {
        signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = ServerEvents.ListenFailed, Level = LogLevel.Warning, Message = "Listening for queued jobs failed; polling until it reconnects")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
