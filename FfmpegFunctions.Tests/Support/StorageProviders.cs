using Azure.Storage.Blobs;

namespace FfmpegFunctions.Tests.Support;

/// <summary>Server settings that pick each object store against the local stack: the S3 emulator, or Azurite.</summary>
public static class StorageProviders
{
    public const string AzuriteContainer = "ffmpegfunctions-tests";

    public static Dictionary<string, string?> S3() => new() { ["Storage:Provider"] = "S3" };

    /// <summary>The container is made here: in Azure the Bicep template makes it, and the app never creates storage.</summary>
    public static async Task<Dictionary<string, string?>> AzureBlobAsync()
    {
        await new BlobContainerClient(StackSettings.AzuriteConnectionString, AzuriteContainer).CreateIfNotExistsAsync();
        return new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = StackSettings.AzuriteConnectionString,
            ["Storage:AzureBlob:Container"] = AzuriteContainer,
            ["Storage:AzureBlob:CopyPollInterval"] = "00:00:00.100",
        };
    }
}
