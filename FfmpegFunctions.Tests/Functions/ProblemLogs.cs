using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>Warnings and errors of the app with their exceptions, so a timed-out wait says what went wrong.</summary>
public sealed class ProblemLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();

    public IReadOnlyList<string> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public override string ToString() => string.Join(Environment.NewLine, entries.Distinct().Take(15));

    private sealed class Logger(ProblemLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
