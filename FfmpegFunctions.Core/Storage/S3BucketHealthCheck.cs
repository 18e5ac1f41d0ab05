using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

/// <summary>Ready when the bucket answers a one-key listing.</summary>
internal sealed class S3BucketHealthCheck(IAmazonS3 s3, IOptions<S3Options> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Value.Bucket, MaxKeys = 1 }, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is AmazonS3Exception or Amazon.Runtime.AmazonServiceException or HttpRequestException or System.Net.Sockets.SocketException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"bucket '{options.Value.Bucket}': {ex.Message}");
        }
    }
}
