namespace FfmpegFunctions.Core.Storage;

/// <summary>Section Storage:AzureBlob, used when Storage:Provider is AzureBlob. Either a connection string (account key:
/// Azurite, or an account that allows shared keys) or a service URI reached with the ambient Azure identity.</summary>
public sealed class AzureBlobOptions
{
    /// <summary>Account-key connection string; presigned URLs are account-key SAS.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://{account}.blob.core.windows.net, reached with DefaultAzureCredential (managed identity in Azure);
    /// presigned URLs are user delegation SAS.</summary>
    public string? ServiceUri { get; set; }

    public string? Container { get; set; }

    /// <summary>Lower only in tests: how often a server-side copy still pending is polled.</summary>
    public TimeSpan CopyPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
