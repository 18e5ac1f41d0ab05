using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Support;

/// <summary>The Server in-process against the test stack (settings come from the environment ./test.sh exports).</summary>
/// <param name="services">Test-only registrations applied after the Server's own (e.g. an in-memory span exporter).</param>
public sealed class ServerFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public ServerFactory() : this(null, null) { }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
