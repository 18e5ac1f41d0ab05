using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using FfmpegFunctions.Core.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

public static class StorageExtensions
{
    /// <summary>One IAmazonS3 for the process, configured for AWS or an S3-compatible endpoint.</summary>
    public static IHostApplicationBuilder AddS3Storage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<S3Options>()
            .BindConfiguration("S3")
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.ServiceUrl) || Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out _),
                "The setting 'S3:ServiceUrl' must be an absolute URL.")
            .Validate(o => string.IsNullOrEmpty(o.AccessKey) == string.IsNullOrEmpty(o.SecretKey),
                "The settings 'S3:AccessKey' and 'S3:SecretKey' must be set together.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3Options>>().Value));
        builder.Services.AddSingleton<S3ObjectStore>();
        builder.Services.AddSingleton<IObjectStore>(sp => new TracedObjectStore(sp.GetRequiredService<S3ObjectStore>()));
        builder.Services.AddHealthChecks().AddCheck<S3BucketHealthCheck>("s3", tags: ["ready"]);
        return builder;
    }

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
