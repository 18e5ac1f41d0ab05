using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

public enum RedisCircuitState
{
    /// <summary>Calls go to Redis.</summary>
    Closed,

    /// <summary>Calls are not made: callers fall back at once.</summary>
    Open,

    /// <summary>Still open for callers, but the next call (or the one under way) tries Redis again in the background.</summary>
    HalfOpen,
}

/// <summary>What a call through <see cref="RedisCircuit"/> gave: Redis's answer, or none because the call failed
/// (<see cref="Error"/>) or was not made since the circuit is open (<see cref="ShortCircuited"/>).</summary>
public readonly record struct RedisCallResult<T>(bool Answered, T Value, Exception? Error)
{
    public bool ShortCircuited => !Answered && Error is null;
}

/// <summary>
/// Keeps requests and renders from waiting on a Redis that is gone; one per process, shared by every caller of the
/// process's multiplexer (the rate limiter, event publishing, the SignalR backplane's sends).
/// Closed: calls go to Redis, each bounded by OperationTimeout; FailuresToOpen timeouts or connection failures in a
/// row open it. Open: no call is made and callers fall back at once (the rate limiter lets the request through,
/// events are dropped). After BreakDuration the next call is made as a probe in the background while its own caller
/// falls back as if open, so no request ever waits to find out whether Redis is back; the probe's answer closes the
/// circuit or keeps it open for another BreakDuration. Redis answering with an error (a script error, READONLY) is
/// an answer: it neither opens the circuit nor keeps it open.
/// </summary>
public sealed partial class RedisCircuit(IOptionsMonitor<RedisCircuitOptions> options, TimeProvider clock, ILogger<RedisCircuit> logger)
{
    private readonly Lock gate = new();
    private int failures;
    private bool open;
    private bool probing;
    private long openedAt;      // when it opened, or when the last probe failed
    private long outageStart;
    private long lastWarning;
    private long dropped;

    public RedisCircuitState State
    {
        get
        {
            lock (gate)
            {
                if (!open) return RedisCircuitState.Closed;
                return probing || BreakOver() ? RedisCircuitState.HalfOpen : RedisCircuitState.Open;
            }
        }
    }

    /// <summary>Runs one Redis call through the circuit.</summary>
    /// <returns>The answer, or why there is none. Errors Redis answered with are thrown, as without the circuit.</returns>
    public async Task<RedisCallResult<T>> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        switch (Admit())
        {
            case Admission.Refused:
                return default;
            case Admission.Probe:
                // Not awaited: the probe is the circuit's cost, not this request's.
                _ = ProbeAsync(call);
                return default;
        }
        try
        {
            var value = await call().WaitAsync(options.CurrentValue.OperationTimeout, clock, cancellationToken);
            Answered(probe: false);
            return new RedisCallResult<T>(true, value, null);
        }
        catch (Exception ex) when (IsOutage(ex) && !cancellationToken.IsCancellationRequested)
        {
            Failed(probe: false, ex);
            return new RedisCallResult<T>(false, default!, ex);
        }
        catch (RedisServerException)
        {
            Answered(probe: false);
            throw;
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task<RedisCallResult<bool>> RunAsync(Func<Task> call, CancellationToken cancellationToken) =>
        RunAsync(async () => { await call(); return true; }, cancellationToken);

    /// <summary>A caller dropped an event because the circuit is open: counted for the circuit's warnings instead of a log line per event.</summary>
    public void NoteDropped() => Interlocked.Increment(ref dropped);

    /// <summary>Timeouts and lost connections; not errors Redis answered with (those mean it is there).</summary>
    public static bool IsOutage(Exception exception) => exception is RedisConnectionException or TimeoutException;

    private Admission Admit()
    {
        lock (gate)
        {
            if (!open) return Admission.Call;
            if (probing || !BreakOver()) return Admission.Refused;
            probing = true;
            return Admission.Probe;
        }
    }

    private async Task ProbeAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call().WaitAsync(options.CurrentValue.OperationTimeout, clock);
            Answered(probe: true);
        }
        catch (RedisServerException)
        {
            Answered(probe: true);
        }
        catch (OperationCanceledException)
        {
            // The caller's work was cancelled (e.g. a render stopped): no news about Redis; let the next call probe.
            lock (gate) probing = false;
        }
        catch (Exception ex)
        {
            Failed(probe: true, ex);
        }
    }

    private void Answered(bool probe)
    {
        TimeSpan outage;
        long droppedEvents;
        lock (gate)
        {
            failures = 0;
            if (probe) probing = false;
            // A call let in before the circuit opened may answer late; only the probe speaks for Redis now.
            if (!open || !probe) return;
            open = false;
            outage = clock.GetElapsedTime(outageStart);
            droppedEvents = Interlocked.Exchange(ref dropped, 0);
        }
        LogClosed(logger, outage, droppedEvents);
    }

    private void Failed(bool probe, Exception exception)
    {
        var opened = false;
        var remind = false;
        int inARow;
        TimeSpan outage;
        lock (gate)
        {
            var now = clock.GetTimestamp();
            if (probe)
            {
                probing = false;
                openedAt = now;
                remind = clock.GetElapsedTime(lastWarning) >= options.CurrentValue.WarningInterval;
                if (remind) lastWarning = now;
            }
            else if (!open && ++failures >= options.CurrentValue.FailuresToOpen)
            {
                open = opened = true;
                openedAt = outageStart = lastWarning = now;
                Interlocked.Exchange(ref dropped, 0);
            }
            inARow = failures;
            outage = clock.GetElapsedTime(outageStart);
        }
        if (opened) LogOpened(logger, exception, inARow, options.CurrentValue.BreakDuration);
        else if (remind) LogStillOpen(logger, outage, Interlocked.Read(ref dropped), exception.Message);
        else if (probe) LogProbeFailed(logger, exception.Message);
    }

    private bool BreakOver() => clock.GetElapsedTime(openedAt) >= options.CurrentValue.BreakDuration;

    private enum Admission { Call, Refused, Probe }

    [LoggerMessage(EventId = CoreEvents.RedisCircuitOpened, Level = LogLevel.Warning,
        Message = "Redis did not answer {Failures} calls in a row: rate limiting is off and events are dropped until it answers again (retried every {BreakDuration})")]
    private static partial void LogOpened(ILogger logger, Exception exception, int failures, TimeSpan breakDuration);

    [LoggerMessage(EventId = CoreEvents.RedisCircuitStillOpen, Level = LogLevel.Warning,
        Message = "Redis is still not answering after {Outage}: rate limiting is off; {Dropped} event messages dropped so far ({Reason})")]
    private static partial void LogStillOpen(ILogger logger, TimeSpan outage, long dropped, string reason);

    [LoggerMessage(EventId = CoreEvents.RedisCircuitClosed, Level = LogLevel.Information,
        Message = "Redis answers again after {Outage}: rate limiting and events are back; {Dropped} event messages were dropped meanwhile")]
    private static partial void LogClosed(ILogger logger, TimeSpan outage, long dropped);

    [LoggerMessage(EventId = CoreEvents.RedisProbeFailed, Level = LogLevel.Debug, Message = "Redis probe failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string reason);
}
