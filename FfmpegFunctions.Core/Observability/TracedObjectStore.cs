using System.Diagnostics;
using FfmpegFunctions.Core.Storage;

namespace FfmpegFunctions.Core.Observability;

/// <summary>
/// Spans around object storage calls. AWSSDK.S3 has no OpenTelemetry instrumentation of its own; its HttpClient
/// requests do show up as HTTP client spans, but one operation (a multipart upload, a prefix delete) is many of
/// those, so each IObjectStore call gets a span named for what the workflow asked.
/// </summary>
internal sealed class TracedObjectStore(IObjectStore inner) : IObjectStore
{
    public Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken) =>
        TraceAsync("download", key, () => inner.DownloadToFileAsync(key, path, cancellationToken));

    public Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
        TraceAsync("upload", key, () => inner.UploadFileAsync(key, path, contentType, cancellationToken));

    public Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken) =>
        TraceAsync("copy", destinationKey, () => inner.CopyAsync(sourceKey, destinationKey, cancellationToken));

    public Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken) =>
        TraceAsync("head", key, () => inner.GetInfoAsync(key, cancellationToken));

    public Task<ObjectStat?> StatAsync(string key, CancellationToken cancellationToken) =>
        TraceAsync("head", key, () => inner.StatAsync(key, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken) =>
        TraceAsync("list", prefix, () => inner.ListAsync(prefix, max, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken) =>
        TraceAsync("list", prefix, () => inner.ListPageAsync(prefix, startAfter, max, cancellationToken));

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken) =>
        TraceAsync("delete-prefix", prefix, () => inner.DeletePrefixAsync(prefix, cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        TraceAsync("delete", key, () => inner.DeleteAsync(key, cancellationToken));

    // Presigning is local computation: no span.
    public Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null) => inner.PresignGet(key, expiry, downloadFileName);

    public Uri PresignPut(string key, string contentType, TimeSpan expiry) => inner.PresignPut(key, contentType, expiry);

    public IReadOnlyDictionary<string, string> PutHeaders(string contentType) => inner.PutHeaders(contentType);

    private static async Task TraceAsync(string operation, string key, Func<Task> call) =>
        await TraceAsync(operation, key, async () => { await call(); return true; });

    private static async Task<T> TraceAsync<T>(string operation, string key, Func<Task<T>> call)
    {
        using var activity = Telemetry.Source.StartActivity("s3 " + operation, ActivityKind.Client);
        activity?.SetTag("storage.operation", operation);
        activity?.SetTag("storage.key", key);
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not ObjectNotFoundException)
        {
            activity.Fail(ex);
            throw;
        }
    }
}
