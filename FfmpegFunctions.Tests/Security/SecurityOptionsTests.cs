using FfmpegFunctions.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Security;

public sealed class SecurityOptionsTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApiKeyAuthentication();
        builder.AddApiRateLimiting();
        builder.AddApiCors();
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Theory]
    [InlineData("Production", "Auth:BootstrapKey", "a-long-enough-key", "'Auth:BootstrapKey'")]
    [InlineData("Development", "Auth:BootstrapKey", "short", "'Auth:BootstrapKey'")]
    [InlineData("Development", "Auth:InternalKeyHash", "not-a-hash", "'Auth:InternalKeyHash'")]
    [InlineData("Development", "RateLimit:Burst", "0", "'RateLimit:Burst'")]
    [InlineData("Development", "RateLimit:PermitsPerSecond", "0", "'RateLimit:PermitsPerSecond'")]
    [InlineData("Development", "Cors:AllowedOrigins:0", "https://console.example.com/app", "'Cors:AllowedOrigins'")]
    public async Task ABadSecuritySettingFailsStartNamingIt(string environment, string setting, string value, string named)
    {
        var error = await StartFailsAsync(environment, new Dictionary<string, string?> { [setting] = value });

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void TheDocumentedShellDerivationAndTheCodeAgree()
    {
        // printf %s dev-internal-key | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
        Assert.Equal("yW9tHYzy8OfTKl3X1bHZcgHIDIyYpUdNltQQwMXW8W8", ApiKeyHash.Compute("dev-internal-key"));
        Assert.True(ApiKeyHash.IsWellFormed(ApiKeyHash.Compute(ApiKeyHash.NewKey())));
    }
}
