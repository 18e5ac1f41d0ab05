using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>A delivery claimed by one dispatcher for one attempt.</summary>
public sealed record ClaimedDelivery(Guid Id, Guid CompositionId, string Url, string Payload, int Attempt);

/// <summary>The outcome of one POST: a status code, or the error that prevented one.</summary>
public sealed record DeliveryAttempt(int? StatusCode, string? Error, TimeSpan Elapsed)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>The webhook_deliveries outbox: enqueue once per (composition, event), claim with SKIP LOCKED, record attempts.</summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Enqueues the event if the composition has a callbackUrl and is in the event's status. A step that runs
    /// again enqueues nothing new (unique composition and event type).
    /// </summary>
    /// <returns>true when a delivery was added by this call.</returns>
    public async Task<bool> EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO webhook_deliveries (id, composition_id, event_type, payload, url)
            SELECT @id, c.id, @type, @payload, c.config->>'callbackUrl'
            FROM compositions c
            WHERE c.id = @composition AND c.status = @status AND c.config->>'callbackUrl' IS NOT NULL
            ON CONFLICT (composition_id, event_type) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", webhookEvent.Id);
        command.Parameters.AddWithValue("type", webhookEvent.Type);
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(webhookEvent, WebhookJson.Options));
        command.Parameters.AddWithValue("composition", webhookEvent.CompositionId);
        command.Parameters.AddWithValue("status", webhookEvent.Status);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Claims due deliveries and counts the attempt. The claim pushes next_attempt_at out by <paramref name="lease"/>,
    /// so a dispatcher that dies mid-POST leaves the delivery to be tried again after it.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, next_attempt_at = now() + @lease
            WHERE d.id IN (
                SELECT id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                FOR UPDATE SKIP LOCKED
                LIMIT @max)
            RETURNING d.id, d.composition_id, d.url, d.payload::text, d.attempts
            """);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("max", max);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            claimed.Add(new ClaimedDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        return claimed;
    }

    /// <summary>
    /// Records an attempt: delivered on 2xx; otherwise pending again after <paramref name="retryDelay"/>, or failed
    /// when that would fall outside <paramref name="retryWindow"/> from the event's creation.
    /// </summary>
    /// <returns>The delivery's status after the attempt.</returns>
    public async Task<string> RecordAttemptAsync(ClaimedDelivery delivery, DeliveryAttempt attempt, TimeSpan retryDelay, TimeSpan retryWindow, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH logged AS (
                INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms)
                VALUES (@id, @attempt, @code, @error, @ms)
                ON CONFLICT (delivery_id, attempt) DO NOTHING)
            UPDATE webhook_deliveries
            SET status = CASE WHEN @ok THEN 'delivered'
                              WHEN now() + @delay > created_at + @window THEN 'failed'
                              ELSE 'pending' END,
                delivered_at = CASE WHEN @ok THEN now() END,
                next_attempt_at = now() + @delay,
                last_status_code = @code,
                last_error = @error
            WHERE id = @id AND status = 'pending'
            RETURNING status
            """);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("attempt", delivery.Attempt);
        command.Parameters.AddWithValue("code", NpgsqlDbType.Integer, (object?)attempt.StatusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)attempt.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("ms", (int)Math.Min(attempt.Elapsed.TotalMilliseconds, int.MaxValue));
        command.Parameters.AddWithValue("ok", attempt.Succeeded);
        command.Parameters.AddWithValue("delay", retryDelay);
        command.Parameters.AddWithValue("window", retryWindow);
        return (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "gone";
    }
}
