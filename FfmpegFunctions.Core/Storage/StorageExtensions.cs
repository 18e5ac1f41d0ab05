using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Azure.Identity;
using Azure.Storage.Blobs;
using FfmpegFunctions.Core.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

public static class StorageExtensions
{
    public const string ProviderSetting = "Storage:Provider";

    /// <summary>The object store named by Storage:Provider (S3 when unset), its readiness check and the S3 section,
    /// whose presign expiry and upload limit every provider uses.</summary>
    public static IHostApplicationBuilder AddObjectStorage(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderSetting];
        // Case-insensitive, as options binding treats enum values.
        var azure = provider?.ToUpperInvariant() switch
        {
            null or "" or "S3" => false,
            "AZUREBLOB" => true,
            _ => throw new InvalidOperationException($"The setting '{ProviderSetting}' must be 'S3' or 'AzureBlob', not '{provider}'."),
        };

        var s3 = builder.Services.AddOptions<S3Options>()
            .BindConfiguration("S3")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (azure)
        {
            builder.AddAzureBlobStorage();
            return builder;
        }
        s3.Validate(o => !string.IsNullOrEmpty(o.Bucket), "The setting 'S3:Bucket' is required.")
            .Validate(o => string.IsNullOrEmpty(o.ServiceUrl) || Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out _),
                "The setting 'S3:ServiceUrl' must be an absolute URL.")
            .Validate(o => string.IsNullOrEmpty(o.AccessKey) == string.IsNullOrEmpty(o.SecretKey),
                "The settings 'S3:AccessKey' and 'S3:SecretKey' must be set together.");

        builder.Services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3Options>>().Value));
        builder.Services.AddSingleton<S3ObjectStore>();
        builder.Services.AddSingleton<IObjectStore>(sp => new TracedObjectStore(sp.GetRequiredService<S3ObjectStore>()));
        builder.Services.AddHealthChecks().AddCheck<S3BucketHealthCheck>("s3", tags: ["ready"]);
        return builder;
    }

    private static void AddAzureBlobStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AzureBlobOptions>()
            .BindConfiguration("Storage:AzureBlob")
            .Validate(o => string.IsNullOrEmpty(o.ConnectionString) != string.IsNullOrEmpty(o.ServiceUri),
                "Set exactly one of 'Storage:AzureBlob:ConnectionString' and 'Storage:AzureBlob:ServiceUri'.")
            .Validate(o => string.IsNullOrEmpty(o.ServiceUri) || Uri.TryCreate(o.ServiceUri, UriKind.Absolute, out _),
                "The setting 'Storage:AzureBlob:ServiceUri' must be an absolute URL.")
            // Container names: 3-63 lower-case letters, digits and single hyphens.
            .Validate(o => o.Container is { Length: >= 3 and <= 63 } c && c.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'),
                "The setting 'Storage:AzureBlob:Container' is required: 3-63 lower-case letters, digits and hyphens.")
            .Validate(o => o.CopyPollInterval > TimeSpan.Zero, "The setting 'Storage:AzureBlob:CopyPollInterval' must be positive.")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp => CreateBlobClient(sp.GetRequiredService<IOptions<AzureBlobOptions>>().Value));
        builder.Services.AddSingleton(sp => new AzureBlobSasSigner(sp.GetRequiredService<BlobServiceClient>(), TimeProvider.System));
        builder.Services.AddSingleton<AzureBlobObjectStore>();
        builder.Services.AddSingleton<IObjectStore>(sp => new TracedObjectStore(sp.GetRequiredService<AzureBlobObjectStore>()));
        builder.Services.AddHealthChecks().AddCheck<AzureBlobContainerHealthCheck>("blob", tags: ["ready"]);
    }

    /// <summary>A connection string carries the account key; a service URI is reached with the ambient identity
    /// (managed identity in Azure, the developer's az login locally).</summary>
    internal static BlobServiceClient CreateBlobClient(AzureBlobOptions options) =>
        string.IsNullOrEmpty(options.ConnectionString)
            ? new BlobServiceClient(new Uri(options.ServiceUri!), new DefaultAzureCredential())
            : new BlobServiceClient(options.ConnectionString);

    internal static AmazonS3Client CreateClient(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = TimeSpan.FromSeconds(100),
            MaxErrorRetry = 3,
            // Streaming trailer checksums are rejected by S3-compatible servers; AWS accepts either way.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
            if (options.ServiceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) config.UseHttp = true;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
