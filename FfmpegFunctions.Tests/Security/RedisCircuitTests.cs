using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Tests.Security;

/// <summary>The circuit's state machine on a clock the test moves; Redis itself is replaced by the calls' outcomes.</summary>
public sealed class RedisCircuitTests : IDisposable
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(2);

    private readonly ManualClock clock = new();
    private readonly CapturedLogs logs = new();
    private readonly ILoggerFactory loggers;
    private readonly RedisCircuit circuit;
    private int calls;

    public RedisCircuitTests()
    {
        loggers = LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        circuit = Create(new RedisCircuitOptions { FailuresToOpen = 2, BreakDuration = Break, WarningInterval = TimeSpan.FromSeconds(30) });
    }

    public void Dispose() => loggers.Dispose();

    [Fact]
    public async Task FailuresInARowOpenItAndThenNoCallIsMade()
    {
        await FailAsync();
        Assert.Equal(RedisCircuitState.Closed, circuit.State);
        await FailAsync();
        Assert.Equal(RedisCircuitState.Open, circuit.State);

        var result = await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None);

        Assert.True(result.ShortCircuited);
        Assert.Equal(2, calls);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("2 calls in a row", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerBetweenFailuresKeepsItClosed()
    {
        await FailAsync();
        Assert.True((await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None)).Answered);
        await FailAsync();

        Assert.Equal(RedisCircuitState.Closed, circuit.State);
    }

    [Fact]
    public async Task ErrorsRedisAnswersWithAreThrownAndDoNotCount()
    {
        await FailAsync();
        await Assert.ThrowsAsync<RedisServerException>(() => circuit.RunAsync(CountedAsync(Task.FromException<long>(new RedisServerException(RedisErrorKind.UnknownError, CommandFlags.None, "NOSCRIPT"))), CancellationToken.None));
        await FailAsync();

        Assert.Equal(RedisCircuitState.Closed, circuit.State);
    }

    [Fact]
    public async Task ACallWithoutAnAnswerInTimeIsAFailure()
    {
        // The timeout runs on a real timer (the manual clock leaves timers to the system): 50 ms.
        var quick = Create(new RedisCircuitOptions { FailuresToOpen = 1, BreakDuration = Break, OperationTimeout = TimeSpan.FromMilliseconds(50) });
        var never = new TaskCompletionSource<long>();

        var result = await quick.RunAsync(() => never.Task, CancellationToken.None);

        Assert.IsAssignableFrom<TimeoutException>(result.Error);
        Assert.Equal(RedisCircuitState.Open, quick.State);
    }

    [Fact]
    public async Task AfterTheBreakOneProbeRunsWithoutTheCallerWaitingAndItsAnswerClosesIt()
    {
        await OpenAsync();
        clock.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.True((await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None)).ShortCircuited);
        Assert.Equal(2, calls);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RedisCircuitState.HalfOpen, circuit.State);
        var answer = new TaskCompletionSource<long>();
        var probe = await circuit.RunAsync(CountedAsync(answer.Task), CancellationToken.None);

        // The caller fell back at once while the probe waits for Redis; nobody else calls meanwhile.
        Assert.True(probe.ShortCircuited);
        Assert.Equal(3, calls);
        Assert.True((await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None)).ShortCircuited);
        Assert.Equal(3, calls);
        Assert.Equal(RedisCircuitState.HalfOpen, circuit.State);

        circuit.NoteDropped();
        answer.SetResult(1);
        await Eventually.BecomesAsync(() => Task.FromResult(circuit.State), s => s == RedisCircuitState.Closed, TimeSpan.FromSeconds(5), "the probe to close the circuit");
        Assert.True((await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None)).Answered);
        Assert.Equal(4, calls);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("1 event messages were dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedProbeKeepsItOpenForAnotherBreak()
    {
        await OpenAsync();
        clock.Advance(Break);
        Assert.True((await circuit.RunAsync(CountedAsync(Task.FromException<long>(Outage())), CancellationToken.None)).ShortCircuited);
        Assert.Equal(3, calls);
        Assert.Equal(RedisCircuitState.Open, circuit.State);

        clock.Advance(Break - TimeSpan.FromMilliseconds(1));
        await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None);
        Assert.Equal(3, calls);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await circuit.RunAsync(CountedAsync(Task.FromResult(1L)), CancellationToken.None);
        Assert.Equal(4, calls);
        Assert.Equal(RedisCircuitState.Closed, circuit.State);
    }

    [Fact]
    public async Task WhileOpenItWarnsOncePerIntervalNotOncePerDroppedEvent()
    {
        await OpenAsync();
        for (var second = 2; second <= 40; second += 2)
        {
            for (var i = 0; i < 10; i++) circuit.NoteDropped();
            clock.Advance(Break);
            await circuit.RunAsync(CountedAsync(Task.FromException<long>(Outage())), CancellationToken.None);
        }

        // One warning on opening, one reminder 30 s on (with the count so far); the failed probes in between are debug.
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("150 event messages dropped so far", warnings[1].Message, StringComparison.Ordinal);
        Assert.Equal(19, logs.Entries.Count(e => e.Level == LogLevel.Debug));
    }

    private RedisCircuit Create(RedisCircuitOptions options) =>
        new(new StaticOptions(options), clock, loggers.CreateLogger<RedisCircuit>());

    private async Task OpenAsync()
    {
        await FailAsync();
        await FailAsync();
        Assert.Equal(RedisCircuitState.Open, circuit.State);
    }

    private async Task FailAsync()
    {
        var result = await circuit.RunAsync(CountedAsync(Task.FromException<long>(Outage())), CancellationToken.None);
        Assert.IsType<RedisConnectionException>(result.Error);
    }

    private Func<Task<long>> CountedAsync(Task<long> outcome) => () =>
    {
        calls++;
        return outcome;
    };

    private static RedisConnectionException Outage() => new(ConnectionFailureType.SocketClosed, CommandFlags.None, "gone", null, CommandStatus.Unknown);

    /// <summary>Time stands still until the test moves it; timers (timeouts) are the system's.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(Interlocked.Read(ref ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }

    private sealed class StaticOptions(RedisCircuitOptions value) : IOptionsMonitor<RedisCircuitOptions>
    {
        public RedisCircuitOptions CurrentValue => value;

        public RedisCircuitOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RedisCircuitOptions, string?> listener) => null;
    }
}
