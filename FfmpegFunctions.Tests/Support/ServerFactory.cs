using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// The Server in-process against the test stack (settings come from the environment ./test.sh exports).
/// Clients from CreateClient() send the test API key; the rate limit is high enough for any test but
/// the ones that lower it.
/// </summary>
/// <param name="services">Test-only registrations applied after the Server's own (e.g. an in-memory span exporter).</param>
public sealed class ServerFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public ServerFactory() : this(null, null) { }

    /// <summary>When set, every log entry of the host is also written here.</summary>
    public CapturedLogs? Logs { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Auth:BootstrapKey", TestKeys.Api);
        builder.UseSetting("Auth:InternalKeyHash", TestKeys.InternalHash);
        builder.UseSetting("RateLimit:PermitsPerSecond", "10000");
        builder.UseSetting("RateLimit:Burst", "10000");
        builder.UseSetting("RateLimit:UnauthenticatedPermitsPerSecond", "10000");
        builder.UseSetting("RateLimit:UnauthenticatedBurst", "10000");
        // Most tests name made-up keys to exercise the API without media; the tests of the creation check turn it on.
        builder.UseSetting("Sources:CheckStoredAtCreation", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
        if (Logs is not null) builder.ConfigureServices(s => s.AddLogging(l => l.AddProvider(Logs)));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Api);
    }

    /// <summary>A client that sends no key (or <paramref name="key"/>).</summary>
    public HttpClient CreateClientWithKey(string? key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove(TestKeys.Header);
        if (key is not null) client.DefaultRequestHeaders.Add(TestKeys.Header, key);
        return client;
    }
}
