using FfmpegFunctions.Core.Storage;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// The storage boundary with one injected fault: the first call matching <see cref="FailOnce"/> throws what it
/// returns, every other call goes to the real S3 store. <see cref="Failed"/> completes when it has thrown.
/// </summary>
public sealed class FaultyObjectStore(IObjectStore inner) : IObjectStore
{
    private int fired;

    /// <summary>(operation, key) to the exception to throw once, or null to pass the call through.</summary>
    public Func<string, string, Exception?>? FailOnce { get; set; }

    public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void MaybeFail(string operation, string key)
    {
        if (FailOnce?.Invoke(operation, key) is not { } exception || Interlocked.Exchange(ref fired, 1) == 1) return;
        Failed.TrySetResult();
        throw exception;
    }

    public Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        MaybeFail(nameof(DownloadToFileAsync), key);
        return inner.DownloadToFileAsync(key, path, cancellationToken);
    }

    public Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken)
    {
        MaybeFail(nameof(UploadFileAsync), key);
        return inner.UploadFileAsync(key, path, contentType, cancellationToken);
    }

    public Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken) => inner.CopyAsync(sourceKey, destinationKey, cancellationToken);

    public Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken) => inner.ListAsync(prefix, max, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken) =>
        inner.ListPageAsync(prefix, startAfter, max, cancellationToken);

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null) => inner.PresignGet(key, expiry, downloadFileName);

    public Uri PresignPut(string key, string contentType, TimeSpan expiry) => inner.PresignPut(key, contentType, expiry);
}
