namespace FfmpegFunctions.Core.Storage;

/// <summary>The object storage the workflow needs. Media moves as files and streams, never as whole byte arrays.</summary>
public interface IObjectStore
{
    /// <exception cref="ObjectNotFoundException">the key does not exist.</exception>
    Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>Uploads a local file (multipart above a threshold), replacing any object at the key.</summary>
    Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken);

    Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken);

    Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken);

    /// <summary>An object's size and stored content type (one HEAD); null when the key does not exist.</summary>
    Task<ObjectStat?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Objects under a prefix, in key order (at most <paramref name="max"/>).</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken);

    /// <summary>One page of objects under a prefix, in key order, after <paramref name="startAfter"/> (null: from the start).</summary>
    Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken);

    /// <returns>How many objects were deleted.</returns>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null);

    Uri PresignPut(string key, string contentType, TimeSpan expiry);

    /// <summary>The headers a PUT to a <see cref="PresignPut"/> URL must send (each store wants its own).</summary>
    IReadOnlyDictionary<string, string> PutHeaders(string contentType);
}

public sealed record StoredObject(string Key, long Size, DateTimeOffset? LastModified);

/// <summary>What a HEAD of one object says: its size and the Content-Type it was stored with.</summary>
public sealed record ObjectStat(long Size, string? ContentType);
