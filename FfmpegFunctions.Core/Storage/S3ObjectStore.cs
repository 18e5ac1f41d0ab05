using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Storage;

internal sealed class S3ObjectStore(IAmazonS3 s3, IOptions<S3Options> options) : IObjectStore
{
    // Below this a single PUT is cheaper than a multipart upload.
    private const long MultipartThreshold = 16 * 1024 * 1024;

    private string Bucket => options.Value.Bucket!;

    public async Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var partial = path + ".part";
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await response.ResponseStream.CopyToAsync(file, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(key);
        }
    }

    public async Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        if (size < MultipartThreshold)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, FilePath = path, ContentType = contentType }, cancellationToken);
            return;
        }
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = MultipartThreshold, ConcurrentServiceRequests = 4 });
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            FilePath = path,
            ContentType = contentType,
            PartSize = MultipartThreshold,
        }, cancellationToken);
    }

    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        try
        {
            await s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = Bucket,
                SourceKey = sourceKey,
                DestinationBucket = Bucket,
                DestinationKey = destinationKey,
            }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(sourceKey);
        }
    }

    public async Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var meta = await s3.GetObjectMetadataAsync(Bucket, key, cancellationToken);
            return new StoredObject(key, meta.ContentLength, meta.LastModified);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken)
    {
        var result = new List<StoredObject>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Bucket,
                Prefix = prefix,
                ContinuationToken = token,
                MaxKeys = Math.Min(1000, max - result.Count),
            }, cancellationToken);
            result.AddRange((page.S3Objects ?? []).Select(o => new StoredObject(o.Key, o.Size ?? 0, o.LastModified)));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null && result.Count < max);
        return result;
    }

    public async Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken)
    {
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = Bucket,
            Prefix = prefix,
            StartAfter = startAfter,
            MaxKeys = Math.Clamp(max, 1, 1000),
        }, cancellationToken);
        return [.. (page.S3Objects ?? []).Select(o => new StoredObject(o.Key, o.Size ?? 0, o.LastModified))];
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var batch = await ListAsync(prefix, 1000, cancellationToken);
            if (batch.Count == 0) return deleted;
            // One DELETE per key: multi-object delete needs Content-MD5, which S3-compatible servers handle unevenly.
            foreach (var obj in batch) await DeleteAsync(obj.Key, cancellationToken);
            deleted += batch.Count;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(Bucket, key, cancellationToken);

    public Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.Add(expiry),
            Protocol = Protocol(),
        };
        if (downloadFileName is not null)
            request.ResponseHeaderOverrides.ContentDisposition = $"attachment; filename=\"{downloadFileName}\"";
        return new Uri(s3.GetPreSignedURL(request));
    }

    public Uri PresignPut(string key, string contentType, TimeSpan expiry) =>
        new(s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            ContentType = contentType,
            Expires = DateTime.UtcNow.Add(expiry),
            Protocol = Protocol(),
        }));

    // Presigned URLs default to https; a local emulator speaks plain http.
    private Amazon.S3.Protocol Protocol() =>
        options.Value.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS;
}
