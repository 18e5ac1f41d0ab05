using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Storage;

/// <summary>A wrong storage setting stops the start and names the setting, rather than failing at the first upload.</summary>
public sealed class StorageProviderSettingTests
{
    [Fact]
    public void AnUnknownProviderStopsTheStartNamingTheSetting()
    {
        var error = Assert.ThrowsAny<Exception>(() => Start(new() { ["Storage:Provider"] = "Gcs" }));
        Assert.Contains("Storage:Provider", Flatten(error));
    }

    [Theory]
    [InlineData(null, "Storage:AzureBlob:Container")]
    [InlineData("Bad_Name", "Storage:AzureBlob:Container")]
    public void AnAzureBlobStoreWithoutAValidContainerStopsTheStart(string? container, string setting)
    {
        var error = Assert.ThrowsAny<Exception>(() => Start(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = StackSettings.AzuriteConnectionString,
            ["Storage:AzureBlob:Container"] = container,
        }));
        Assert.Contains(setting, Flatten(error));
    }

    [Fact]
    public void AnAzureBlobStoreNeedsExactlyOneWayToReachTheAccount()
    {
        var error = Assert.ThrowsAny<Exception>(() => Start(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:Container"] = "outputs",
        }));
        Assert.Contains("Storage:AzureBlob:ConnectionString", Flatten(error));
    }

    [Fact]
    public async Task WithAzureBlobChosenNoS3BucketIsNeeded()
    {
        var settings = await StorageProviders.AzureBlobAsync();
        settings["S3:Bucket"] = "";
        await using var server = Start(settings);
        using var client = server.CreateClient();
        using var ready = JsonDocument.Parse(await client.GetStringAsync("/readyz"));
        var checks = ready.RootElement.GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("blob").GetProperty("status").GetString());
        Assert.False(checks.TryGetProperty("s3", out _));
    }

    private static ServerFactory Start(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Postgres"] = StackSettings.Postgres;
        settings["Workflow:Enabled"] = "false";
        settings["Database:MigrateOnStart"] = "false";
        var server = new ServerFactory(settings);
        _ = server.Services;
        return server;
    }

    private static string Flatten(Exception error) => error is AggregateException all
        ? string.Join(" | ", all.InnerExceptions.Select(Flatten))
        : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
