using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Foundation;

public sealed class OptionsValidationTests
{
    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=x",
        ["ConnectionStrings:Redis"] = "127.0.0.1:1",
        ["S3:Bucket"] = "bucket",
        ["S3:ServiceUrl"] = "http://127.0.0.1:1",
        ["Database:MigrateOnStart"] = "false",
    };

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings:Redis")]
    [InlineData("S3:Bucket")]
    public async Task AMissingSettingFailsStartNamingIt(string setting)
    {
        var settings = ValidSettings();
        settings.Remove(setting);

        var error = await StartFailsAsync(settings);

        Assert.Contains($"'{setting}'", error.Message);
    }

    [Theory]
    [InlineData("Redis:Circuit:FailuresToOpen", "0")]
    [InlineData("Redis:Circuit:BreakDuration", "00:00:00")]
    [InlineData("Redis:Circuit:OperationTimeout", "00:01:00")]
    [InlineData("Redis:Circuit:WarningInterval", "00:00:00.500")]
    public async Task AnOutOfRangeRedisCircuitSettingFailsStartNamingIt(string setting, string value)
    {
        var settings = ValidSettings();
        settings[setting] = value;

        var error = await StartFailsAsync(settings);

        Assert.Contains($"'{setting}'", error.Message);
    }

    [Theory]
    [InlineData("Sources:CheckTimeout", "00:00:00")]
    [InlineData("Sources:DnsTimeout", "00:05:00")]
    [InlineData("Sources:ConnectTimeout", "00:00:00.010")]
    [InlineData("Sources:DownloadTimeout", "02:00:00")]
    public async Task AnOutOfRangeSourcesSettingFailsStartNamingIt(string setting, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value });
        builder.AddSources();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"'{setting}'", error.Message);
    }

    [Fact]
    public async Task AMalformedPostgresConnectionStringFailsStartNamingIt()
    {
        var settings = ValidSettings();
        settings["ConnectionStrings:Postgres"] = "Hots=nowhere;Bogus Key=1";

        var error = await StartFailsAsync(settings);

        Assert.Contains("'ConnectionStrings:Postgres'", error.Message);
    }

    [Fact]
    public async Task HalfConfiguredS3CredentialsFailStart()
    {
        var settings = ValidSettings();
        settings["S3:AccessKey"] = "only-the-key";

        var error = await StartFailsAsync(settings);

        Assert.Contains("'S3:SecretKey'", error.Message);
    }

    [Fact]
    public void TheServerRefusesToStartWithoutItsDatabase()
    {
        using var factory = new ServerFactory(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("'ConnectionStrings:Postgres'", error.ToString());
    }
}
