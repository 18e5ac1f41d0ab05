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
            // Unique per download: two steps of one job on one machine may fetch the same input at once.
            var partial = $"{path}.{Guid.NewGuid():N}.part";
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
            var source = await s3.GetObjectMetadataAsync(Bucket, sourceKey, cancellationToken);
            if (source.ContentLength > options.Value.MultipartCopyThreshold)
            {
                await CopyInPartsAsync(sourceKey, destinationKey, source.ContentLength, source.Headers.ContentType, cancellationToken);
                return;
            }
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

    /// <summary>A multipart upload whose parts are server-side copies of byte ranges; aborted on any failure, so no parts linger.</summary>
    private async Task CopyInPartsAsync(string sourceKey, string destinationKey, long size, string? contentType, CancellationToken cancellationToken)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = destinationKey,
            ContentType = contentType,
        }, cancellationToken);
        try
        {
            var partSize = Math.Max(options.Value.CopyPartSize, (size + 9_999) / 10_000);
            var ranges = new List<(int Number, long First, long Last)>();
            for (long first = 0, number = 1; first < size; first += partSize, number++)
                ranges.Add(((int)number, first, Math.Min(first + partSize, size) - 1));
            var etags = new PartETag[ranges.Count];
            await Parallel.ForEachAsync(ranges, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (range, ct) =>
            {
                var part = await s3.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = Bucket,
                    SourceKey = sourceKey,
                    DestinationBucket = Bucket,
                    DestinationKey = destinationKey,
                    UploadId = upload.UploadId,
                    PartNumber = range.Number,
                    FirstByte = range.First,
                    LastByte = range.Last,
                }, ct);
                etags[range.Number - 1] = new PartETag(range.Number, part.ETag);
            });
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = destinationKey,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
            }, cancellationToken);
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(Bucket, destinationKey, upload.UploadId, CancellationToken.None);
            throw;
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

    public async Task<ObjectStat?> StatAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var meta = await s3.GetObjectMetadataAsync(Bucket, key, cancellationToken);
            return new ObjectStat(meta.ContentLength, meta.Headers.ContentType);
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

    /// <summary>The signature covers the Content-Type: the PUT must send exactly the type that was signed.</summary>
    public IReadOnlyDictionary<string, string> PutHeaders(string contentType) =>
        new Dictionary<string, string> { ["Content-Type"] = contentType };

    // Presigned URLs default to https; a local emulator speaks plain http.
    private Amazon.S3.Protocol Protocol() =>
        options.Value.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS;
}
