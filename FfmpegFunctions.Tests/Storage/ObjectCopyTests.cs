using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Storage;

/// <summary>
/// Copies against the S3 emulator. S3's single CopyObject stops at 5 GiB, so larger objects are copied in parts;
/// the threshold is lowered here so a 12 MiB object takes that path.
/// </summary>
public sealed class ObjectCopyTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-copy-" + Guid.NewGuid().ToString("N"));

    public ObjectCopyTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(12 * 1024 * 1024 + 17, 3)]
    [InlineData(64 * 1024, 0)]
    public async Task ACopyIsByteForByteTheSourceWhetherCopiedWholeOrInParts(int size, int parts)
    {
        CountingS3Client? counting = null;
        await using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = StackSettings.Postgres,
            ["Workflow:Enabled"] = "false",
            ["Database:MigrateOnStart"] = "false",
            ["S3:MultipartCopyThreshold"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["S3:CopyPartSize"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, services => services.AddSingleton<IAmazonS3>(sp =>
        {
            // The app's own client configuration, in a client that counts the copy calls.
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<S3Options>>().Value;
            var config = (AmazonS3Config)StorageExtensions.CreateClient(options).Config;
            return counting = new CountingS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        }));
        var objects = server.Services.GetRequiredService<IObjectStore>();
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var source = Path.Combine(directory, "source.bin");
        await File.WriteAllBytesAsync(source, bytes);
        var prefix = $"temp/copy-test-{Guid.NewGuid():N}/";

        await objects.UploadFileAsync(prefix + "source.bin", source, "video/mp4", CancellationToken.None);
        await objects.CopyAsync(prefix + "source.bin", prefix + "copy.bin", CancellationToken.None);

        var copy = Path.Combine(directory, "copy.bin");
        await objects.DownloadToFileAsync(prefix + "copy.bin", copy, CancellationToken.None);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(copy)));
        Assert.Equal(size, (await objects.GetInfoAsync(prefix + "copy.bin", CancellationToken.None))!.Size);
        Assert.Equal(parts, counting!.CopyParts);
        Assert.Equal(parts == 0 ? 1 : 0, counting.CopyObjects);
        await objects.DeletePrefixAsync(prefix, CancellationToken.None);
    }

    [Fact]
    public async Task CopyingAMissingObjectIsObjectNotFound()
    {
        await using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = StackSettings.Postgres,
            ["Workflow:Enabled"] = "false",
            ["Database:MigrateOnStart"] = "false",
        });
        var objects = server.Services.GetRequiredService<IObjectStore>();

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => objects.CopyAsync($"temp/none-{Guid.NewGuid():N}", "temp/x", CancellationToken.None));
    }

    private sealed class CountingS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
    {
        private int copyParts;
        private int copyObjects;

        public int CopyParts => copyParts;
        public int CopyObjects => copyObjects;

        public override Task<CopyPartResponse> CopyPartAsync(CopyPartRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref copyParts);
            return base.CopyPartAsync(request, cancellationToken);
        }

        public override Task<CopyObjectResponse> CopyObjectAsync(CopyObjectRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref copyObjects);
            return base.CopyObjectAsync(request, cancellationToken);
        }
    }
}
