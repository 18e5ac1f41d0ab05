using Amazon.S3;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Retention;

/// <summary>The clock of a host under test: real time moved by <see cref="Offset"/> (timers stay real).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A private bucket on the test stack's S3 emulator: a sweeper deletes inputs no composition of its own
/// database uses, so on the shared bucket it would take other tests' fresh uploads once its clock is moved.
/// </summary>
public sealed class PrivateBucket : IAsyncDisposable
{
    private readonly AmazonS3Client client;

    private PrivateBucket(string name, AmazonS3Client client)
    {
        Name = name;
        this.client = client;
    }

    public string Name { get; }

    public static async Task<PrivateBucket> CreateAsync()
    {
        var name = "retention-" + Guid.NewGuid().ToString("N")[..12];
        var client = StorageExtensions.CreateClient(new S3Options
        {
            ServiceUrl = StackSettings.S3ServiceUrl,
            AccessKey = Environment.GetEnvironmentVariable("S3__AccessKey"),
            SecretKey = Environment.GetEnvironmentVariable("S3__SecretKey"),
            ForcePathStyle = true,
        });
        await client.PutBucketAsync(name);
        return new PrivateBucket(name, client);
    }

    /// <summary>Host settings pointing at this bucket, plus <paramref name="more"/>.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["S3:Bucket"] = Name };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    public static async Task<string> PutAsync(ServerFactory host, string key, string content = "x")
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, content);
            await host.Services.GetRequiredService<IObjectStore>().UploadFileAsync(key, file, "application/octet-stream", CancellationToken.None);
            return key;
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<bool> ExistsAsync(ServerFactory host, string key) =>
        await host.Services.GetRequiredService<IObjectStore>().GetInfoAsync(key, CancellationToken.None) is not null;

    public async ValueTask DisposeAsync()
    {
        try
        {
            var listed = await client.ListObjectsV2Async(new() { BucketName = Name });
            foreach (var item in listed.S3Objects ?? []) await client.DeleteObjectAsync(Name, item.Key);
            await client.DeleteBucketAsync(Name);
        }
        catch (AmazonS3Exception)
        {
            // Best effort: the emulator's data folder belongs to the test stack and goes with it.
        }
        client.Dispose();
    }
}
