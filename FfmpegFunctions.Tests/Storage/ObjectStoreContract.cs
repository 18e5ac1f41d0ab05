using System.Net.Http.Headers;
using System.Security.Cryptography;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Storage;

/// <summary>
/// What the workflow relies on from IObjectStore, run against every provider through the Server's own wiring
/// (Storage:Provider), so each adapter is held to the same behaviour.
/// </summary>
public abstract class ObjectStoreContract : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-store-" + Guid.NewGuid().ToString("N"));
    private readonly string prefix = $"temp/contract-{Guid.NewGuid():N}/";
    private ServerFactory? server;

    /// <summary>Storage:* settings that pick the provider under test.</summary>
    protected abstract Task<Dictionary<string, string?>> ProviderSettingsAsync();

    private IObjectStore Objects => server!.Services.GetRequiredService<IObjectStore>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        var settings = await ProviderSettingsAsync();
        settings["ConnectionStrings:Postgres"] = StackSettings.Postgres;
        settings["Workflow:Enabled"] = "false";
        settings["Database:MigrateOnStart"] = "false";
        server = new ServerFactory(settings);
    }

    public async Task DisposeAsync()
    {
        await Objects.DeletePrefixAsync(prefix, CancellationToken.None);
        await server!.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task AnUploadComesBackWithItsBytesSizeAndContentType()
    {
        var (path, bytes) = await RandomFileAsync("clip.mp4", 300_001);

        await Objects.UploadFileAsync(prefix + "clip.mp4", path, "video/mp4", CancellationToken.None);

        var copy = Path.Combine(directory, "back.mp4");
        await Objects.DownloadToFileAsync(prefix + "clip.mp4", copy, CancellationToken.None);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(copy)));
        var info = await Objects.GetInfoAsync(prefix + "clip.mp4", CancellationToken.None);
        Assert.Equal(bytes.Length, info!.Size);
        Assert.InRange(info.LastModified!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        using var http = new HttpClient();
        using var response = await http.GetAsync(Objects.PresignGet(prefix + "clip.mp4", TimeSpan.FromMinutes(5)));
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AMissingKeyHasNoInfoAndCannotBeDownloaded()
    {
        Assert.Null(await Objects.GetInfoAsync(prefix + "none.mp4", CancellationToken.None));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            Objects.DownloadToFileAsync(prefix + "none.mp4", Path.Combine(directory, "none.mp4"), CancellationToken.None));
        Assert.Empty(Directory.GetFiles(directory)); // no partial file left behind
    }

    [Fact]
    public async Task TheExistenceLookupsGiveUpWhenCancelled()
    {
        // The creation check bounds its HEADs (and an upload id's listing) with a token: both adapters must honour it.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Objects.GetInfoAsync(prefix + "none.mp4", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Objects.ListAsync(prefix, 2, cancelled.Token));
    }

    [Fact]
    public async Task ListingKeepsToThePrefixInKeyOrderAndPagesAfterAKey()
    {
        var (path, _) = await RandomFileAsync("small.bin", 10);
        string[] keys = [.. "edcba".Select(c => $"{prefix}list/{c}.bin")];
        foreach (var key in keys) await Objects.UploadFileAsync(key, path, "application/octet-stream", CancellationToken.None);
        await Objects.UploadFileAsync(prefix + "listing.bin", path, "application/octet-stream", CancellationToken.None);
        var sorted = keys.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(sorted, (await Objects.ListAsync(prefix + "list/", 100, CancellationToken.None)).Select(o => o.Key));
        Assert.Equal(sorted[..3], (await Objects.ListAsync(prefix + "list/", 3, CancellationToken.None)).Select(o => o.Key));
        Assert.All(await Objects.ListAsync(prefix + "list/", 100, CancellationToken.None), o => Assert.Equal(10, o.Size));

        var pages = new List<string[]>();
        string? after = null;
        while (true)
        {
            var page = await Objects.ListPageAsync(prefix + "list/", after, 2, CancellationToken.None);
            if (page.Count == 0) break;
            pages.Add([.. page.Select(o => o.Key)]);
            after = page[^1].Key;
        }
        Assert.Equal([sorted[..2], sorted[2..4], sorted[4..]], pages);
    }

    [Theory]
    [InlineData(12 * 1024 * 1024 + 17)]
    [InlineData(64 * 1024)]
    public async Task ACopyIsByteForByteTheSourceAndKeepsItsContentType(int size)
    {
        var (path, bytes) = await RandomFileAsync("source.bin", size);
        await Objects.UploadFileAsync(prefix + "source.mp4", path, "video/mp4", CancellationToken.None);

        await Objects.CopyAsync(prefix + "source.mp4", prefix + "copy.mp4", CancellationToken.None);

        var copy = Path.Combine(directory, "copy.mp4");
        await Objects.DownloadToFileAsync(prefix + "copy.mp4", copy, CancellationToken.None);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(copy)));
        Assert.Equal(size, (await Objects.GetInfoAsync(prefix + "copy.mp4", CancellationToken.None))!.Size);
        using var http = new HttpClient();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Objects.PresignGet(prefix + "copy.mp4", TimeSpan.FromMinutes(5))));
        // S3 presigns per verb: a HEAD on a GET URL is refused there, so only check the type where it answers.
        if (response.IsSuccessStatusCode) Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CopyingAMissingSourceIsObjectNotFound()
    {
        var missing = await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            Objects.CopyAsync(prefix + "none.mp4", prefix + "copy.mp4", CancellationToken.None));
        Assert.Equal(prefix + "none.mp4", missing.Key);
        Assert.Null(await Objects.GetInfoAsync(prefix + "copy.mp4", CancellationToken.None));
    }

    [Fact]
    public async Task DeletingAPrefixRemovesEverythingUnderItAndNothingElse()
    {
        var (path, _) = await RandomFileAsync("small.bin", 10);
        for (var i = 0; i < 4; i++) await Objects.UploadFileAsync($"{prefix}gone/{i}.bin", path, "application/octet-stream", CancellationToken.None);
        await Objects.UploadFileAsync(prefix + "kept.bin", path, "application/octet-stream", CancellationToken.None);

        Assert.Equal(4, await Objects.DeletePrefixAsync(prefix + "gone/", CancellationToken.None));

        Assert.Empty(await Objects.ListAsync(prefix + "gone/", 100, CancellationToken.None));
        Assert.NotNull(await Objects.GetInfoAsync(prefix + "kept.bin", CancellationToken.None));
        await Objects.DeleteAsync(prefix + "kept.bin", CancellationToken.None);
        await Objects.DeleteAsync(prefix + "kept.bin", CancellationToken.None); // deleting what is gone is no error
        Assert.Null(await Objects.GetInfoAsync(prefix + "kept.bin", CancellationToken.None));
    }

    [Fact]
    public async Task APresignedPutThenAPresignedGetCarryTheBytesTypeAndFileName()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var key = prefix + "upload.webm";
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, Objects.PresignPut(key, "video/webm", TimeSpan.FromMinutes(5))) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in Objects.PutHeaders("video/webm"))
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) put.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            else put.Headers.Add(name, value);
        }

        using (var putResponse = await http.SendAsync(put))
            Assert.True(putResponse.IsSuccessStatusCode, $"PUT answered {(int)putResponse.StatusCode}: {await putResponse.Content.ReadAsStringAsync()}");

        Assert.Equal(bytes.Length, (await Objects.GetInfoAsync(key, CancellationToken.None))!.Size);
        using var get = await http.GetAsync(Objects.PresignGet(key, TimeSpan.FromMinutes(5), "my clip.webm"));
        get.EnsureSuccessStatusCode();
        Assert.Equal("video/webm", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("my clip.webm", get.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    private async Task<(string Path, byte[] Bytes)> RandomFileAsync(string name, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, bytes);
        return (path, bytes);
    }
}

public sealed class S3ObjectStoreContractTests : ObjectStoreContract
{
    protected override Task<Dictionary<string, string?>> ProviderSettingsAsync() => Task.FromResult(StorageProviders.S3());
}

public sealed class AzureBlobObjectStoreContractTests : ObjectStoreContract
{
    protected override Task<Dictionary<string, string?>> ProviderSettingsAsync() => StorageProviders.AzureBlobAsync();
}
