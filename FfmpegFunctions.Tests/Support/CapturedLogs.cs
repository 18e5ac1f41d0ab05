using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Support;

/// <summary>One captured log entry with the fields of its scopes and its message, flattened as the seed formatter does.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

/// <summary>A logger provider that keeps every entry in memory, with scopes (ISupportExternalScope).</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner.scopes.ForEachScope((scope, into) => Add(scope, into), fields);
            Add(state, fields);
            owner.entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), fields));
        }

        private static void Add(object? state, Dictionary<string, object?> fields)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                foreach (var (key, value) in pairs) fields[key] = value;
        }
    }
}
