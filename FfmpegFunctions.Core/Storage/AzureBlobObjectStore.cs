using System.Net;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

internal sealed partial class AzureBlobObjectStore(
    BlobServiceClient service, AzureBlobSasSigner signer, IOptions<AzureBlobOptions> options, ILogger<AzureBlobObjectStore> logger) : IObjectStore
{
    // Blocks of 16 MiB, 4 at a time: the same shape as the S3 adapter's multipart upload.
    private const int BlockSize = 16 * 1024 * 1024;
    private static readonly StorageTransferOptions Transfer = new() { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = 4 };
    // A copy's read SAS must outlive the copy: the service reads the source with it until the copy ends.
    private static readonly TimeSpan CopySourceSasLifetime = TimeSpan.FromHours(6);

    private BlobContainerClient Container => service.GetBlobContainerClient(options.Value.Container);

    private BlobClient Blob(string key) => Container.GetBlobClient(key);

    public async Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Unique per download: two steps of one job on one machine may fetch the same input at once.
        var partial = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await Blob(key).DownloadToAsync(partial, new BlobDownloadToOptions { TransferOptions = Transfer }, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(key);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
        await Blob(key).UploadAsync(path, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            TransferOptions = Transfer,
        }, cancellationToken);

    /// <summary>
    /// Server-side Copy Blob, then polled until it ends. Copy Blob has no size cap (Copy Blob From URL stops at 256 MiB)
    /// and carries the source's content type and metadata; within one account it usually ends at once.
    /// </summary>
    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var source = Blob(sourceKey);
        try
        {
            await source.GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(sourceKey);
        }

        var readSas = signer.Sign(source, new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow + CopySourceSasLifetime));
        var destination = Blob(destinationKey);
        CopyFromUriOperation copy;
        try
        {
            copy = await destination.StartCopyFromUriAsync(readSas, new BlobCopyFromUriOptions(), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // Deleted between the check and the copy.
            throw new ObjectNotFoundException(sourceKey);
        }
        try
        {
            await copy.WaitForCompletionAsync(options.Value.CopyPollInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A pending copy keeps going server-side after we stop waiting; abort it so no half object is left.
            try { await destination.AbortCopyFromUriAsync(copy.Id, cancellationToken: CancellationToken.None); }
            catch (RequestFailedException ex) { LogCopyNotAborted(logger, ex, destinationKey); }
            throw;
        }
        var properties = (await destination.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        if (properties.CopyStatus is CopyStatus.Failed or CopyStatus.Aborted)
            throw new IOException($"Copying '{sourceKey}' to '{destinationKey}' ended {properties.CopyStatus}: {properties.CopyStatusDescription}");
        LogCopied(logger, sourceKey, destinationKey, properties.ContentLength);
    }

    public async Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await Blob(key).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return new StoredObject(key, properties.ContentLength, properties.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<ObjectStat?> StatAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await Blob(key).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return new ObjectStat(properties.ContentLength, properties.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken) =>
        ListPageAsync(prefix, null, max, cancellationToken);

    /// <remarks>Blob listings are in key order, like S3's. StartFrom is inclusive and servers before API version
    /// 2025-x ignore it (Azurite does), so keys up to <paramref name="startAfter"/> are also skipped here.</remarks>
    public async Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken)
    {
        var result = new List<StoredObject>();
        if (max < 1) return result;
        var listing = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, StartFrom = startAfter }, cancellationToken);
        await foreach (var item in listing)
        {
            if (startAfter is not null && string.CompareOrdinal(item.Name, startAfter) <= 0) continue;
            result.Add(new StoredObject(item.Name, item.Properties.ContentLength ?? 0, item.Properties.LastModified));
            if (result.Count >= max) break;
        }
        return result;
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var batch = await ListAsync(prefix, 1000, cancellationToken);
            if (batch.Count == 0) return deleted;
            // One DELETE per blob: batch delete needs Azure.Storage.Blobs.Batch, and Azurite's support for it is partial.
            foreach (var obj in batch) await DeleteAsync(obj.Key, cancellationToken);
            deleted += batch.Count;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await Blob(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    public Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null)
    {
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow + expiry);
        if (downloadFileName is not null) sas.ContentDisposition = $"attachment; filename=\"{downloadFileName}\"";
        return signer.Sign(Blob(key), sas);
    }

    /// <remarks>A SAS cannot pin the request's Content-Type: the PUT sets it, and <see cref="PutHeaders"/> says which.</remarks>
    public Uri PresignPut(string key, string contentType, TimeSpan expiry) =>
        signer.Sign(Blob(key), new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow + expiry));

    /// <summary>Put Blob needs the blob type; without it the PUT is refused.</summary>
    public IReadOnlyDictionary<string, string> PutHeaders(string contentType) =>
        new Dictionary<string, string> { ["Content-Type"] = contentType, ["x-ms-blob-type"] = "BlockBlob" };

    [LoggerMessage(EventId = CoreEvents.BlobCopied, Level = LogLevel.Debug, Message = "Copied blob {SourceKey} to {DestinationKey} ({Size} bytes)")]
    private static partial void LogCopied(ILogger logger, string sourceKey, string destinationKey, long size);

    [LoggerMessage(EventId = CoreEvents.BlobCopyNotAborted, Level = LogLevel.Warning, Message = "A cancelled copy to {DestinationKey} could not be aborted")]
    private static partial void LogCopyNotAborted(ILogger logger, Exception exception, string destinationKey);
}
