using System.Text.Json;
using FfmpegFunctions.Core.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Observability;

public sealed class FlatJsonFormatterTests
{
    [Fact]
    public void ALineHasTheSeedFieldsAtTheTopLevel()
    {
        var formatter = new FlatJsonConsoleFormatter(new StaticOptions(new FlatJsonFormatterOptions { Service = "ffmpegfunctions-server" }));
        var scopes = new LoggerExternalScopeProvider();
        using var outer = scopes.Push(new Dictionary<string, object?> { ["request_id"] = "r-1" });
        using var inner = scopes.Push(new Dictionary<string, object?> { ["CompositionId"] = "c-1" });
        var state = new List<KeyValuePair<string, object?>>
        {
            new("status_code", 201), new("duration_ms", 12.5), new("{OriginalFormat}", "x"),
        };
        using var writer = new StringWriter();

        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Information, "Cat", new EventId(7), state, null, (_, _) => "done"), scopes, writer);

        var text = writer.ToString();
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("information", root.GetProperty("level").GetString());
        Assert.Equal("ffmpegfunctions-server", root.GetProperty("service").GetString());
        Assert.Equal("r-1", root.GetProperty("request_id").GetString());
        Assert.Equal("c-1", root.GetProperty("composition_id").GetString());
        Assert.Equal("done", root.GetProperty("message").GetString());
        Assert.Equal(201, root.GetProperty("status_code").GetInt32());
        Assert.Equal(12.5, root.GetProperty("duration_ms").GetDouble());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _));
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
    }

    private sealed class StaticOptions(FlatJsonFormatterOptions value) : IOptionsMonitor<FlatJsonFormatterOptions>
    {
        public FlatJsonFormatterOptions CurrentValue => value;
        public FlatJsonFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<FlatJsonFormatterOptions, string?> listener) => null;
    }
}
