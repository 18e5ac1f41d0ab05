using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

/// <summary>Ready when the container answers a one-blob listing (the identity may read blobs without reading the account).</summary>
internal sealed class AzureBlobContainerHealthCheck(BlobServiceClient service, IOptions<AzureBlobOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var container = options.Value.Container;
        try
        {
            await foreach (var _ in service.GetBlobContainerClient(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions(), cancellationToken).AsPages(pageSizeHint: 1))
                break;
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RequestFailedException or Azure.Identity.AuthenticationFailedException or HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"container '{container}': {ex.Message}");
        }
    }
}
