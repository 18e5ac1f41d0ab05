using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// The real object store with faults injected at its boundary, for what the S3 emulator cannot do on demand:
/// transient errors, or a copy held in flight. <see cref="Before"/> runs before each call with the operation
/// name, the key and how many times that operation ran (1-based); throwing from it fails the call.
/// </summary>
public sealed class FaultyObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly Dictionary<string, int> calls = new(StringComparer.Ordinal);

    public Func<string, string, int, Task>? Before { get; set; }

    /// <summary>Replaces the Server's IObjectStore with a faulty wrapper of it; the wrapper lands in <paramref name="into"/>.</summary>
    public static Action<IServiceCollection> Install(Action<FaultyObjectStore> into) => services =>
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(IObjectStore));
        services.RemoveAll<IObjectStore>();
        services.AddSingleton<IObjectStore>(sp =>
        {
            var real = descriptor.ImplementationFactory is { } factory ? (IObjectStore)factory(sp)
                : descriptor.ImplementationInstance as IObjectStore ?? (IObjectStore)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
            var faulty = new FaultyObjectStore(real);
            into(faulty);
            return faulty;
        });
    };

    private int fired;

    /// <summary>(operation, key) to an exception to throw the first time it is not null; later calls pass through.</summary>
    public Func<string, string, Exception?>? FailOnce { get; set; }

    /// <summary>Completes when <see cref="FailOnce"/> has thrown.</summary>
    public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task BeforeAsync(string operation, string key)
    {
        if (FailOnce?.Invoke(operation, key) is { } exception && Interlocked.Exchange(ref fired, 1) == 0)
        {
            Failed.TrySetResult();
            throw exception;
        }
        int n;
        lock (calls) n = calls[operation] = calls.GetValueOrDefault(operation) + 1;
        return Before?.Invoke(operation, key, n) ?? Task.CompletedTask;
    }

    public async Task DownloadToFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(DownloadToFileAsync), key);
        await inner.DownloadToFileAsync(key, path, cancellationToken);
    }

    public async Task UploadFileAsync(string key, string path, string contentType, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(UploadFileAsync), key);
        await inner.UploadFileAsync(key, path, contentType, cancellationToken);
    }

    /// <summary>Runs before each copy with its destination and the caller's token (after <see cref="Before"/>).</summary>
    public Func<string, CancellationToken, Task>? BeforeCopy { get; set; }

    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(CopyAsync), destinationKey);
        if (BeforeCopy is { } beforeCopy) await beforeCopy(destinationKey, cancellationToken);
        // A copy already sent completes whatever the caller does meanwhile: that is the race being tested.
        await inner.CopyAsync(sourceKey, destinationKey, CancellationToken.None);
    }

    public Task<StoredObject?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

    public Task<ObjectStat?> StatAsync(string key, CancellationToken cancellationToken) => inner.StatAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, int max, CancellationToken cancellationToken) => inner.ListAsync(prefix, max, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListPageAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken) =>
        inner.ListPageAsync(prefix, startAfter, max, cancellationToken);

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Uri PresignGet(string key, TimeSpan expiry, string? downloadFileName = null) => inner.PresignGet(key, expiry, downloadFileName);

    public Uri PresignPut(string key, string contentType, TimeSpan expiry) => inner.PresignPut(key, contentType, expiry);

    public IReadOnlyDictionary<string, string> PutHeaders(string contentType) => inner.PutHeaders(contentType);
}
