using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Hosting;

/// <summary>
/// The service's log line: one flat JSON object with timestamp, level, service, request_id, composition_id,
/// message, duration_ms and status_code at the top level. Scope and message fields are flattened
/// into snake_case top-level fields (inner scopes and the message win over outer scopes), because log
/// shippers query top-level fields; the built-in JSON formatter nests them under "Scopes"/"State".
/// </summary>
public sealed class FlatJsonConsoleFormatter(IOptionsMonitor<FlatJsonFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "flat-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        scopeProvider?.ForEachScope((scope, into) => Collect(scope, into), fields);
        Collect(logEntry.State, fields);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("service", options.CurrentValue.Service);
            foreach (var name in (string[])["request_id", "composition_id"])
                if (fields.Remove(name, out var value)) WriteValue(json, name, value);
            json.WriteString("message", message);
            foreach (var name in (string[])["duration_ms", "status_code"])
                if (fields.Remove(name, out var value)) WriteValue(json, name, value);
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0) json.WriteNumber("event_id", logEntry.EventId.Id);
            foreach (var (name, value) in fields) WriteValue(json, name, value);
            if (logEntry.Exception is not null) json.WriteString("exception", logEntry.Exception.ToString());
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    private static void Collect(object? state, Dictionary<string, object?> fields)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
        foreach (var (key, value) in pairs)
        {
            if (key == "{OriginalFormat}") continue;
            // ASP.NET Core's hosting scope names Kestrel's connection-based id "RequestId"; it must not pass
            // for ours on the lines it logs outside our scope ("Request starting/finished").
            var name = key == "RequestId" ? "connection_request_id" : JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
            fields[name] = value;
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case bool b: json.WriteBoolean(name, b); break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            case float f when float.IsFinite(f): json.WriteNumber(name, f); break;
            case decimal m: json.WriteNumber(name, m); break;
            default: json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
