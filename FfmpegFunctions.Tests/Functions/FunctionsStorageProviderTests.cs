extern alias functions;

using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>The Functions app picks its object store by the same Storage:Provider setting as the Server.</summary>
public sealed class FunctionsStorageProviderTests
{
    [Fact]
    public async Task WithAzureBlobTheFunctionsAppStoresInTheContainer()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(await StorageProviders.AzureBlobAsync());
        builder.AddFunctionsApp();
        using var services = builder.Services.BuildServiceProvider();
        var objects = services.GetRequiredService<IObjectStore>();
        var key = $"temp/functions-{Guid.NewGuid():N}.txt";
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "hello");
            await objects.UploadFileAsync(key, path, "text/plain", CancellationToken.None);

            Assert.Contains($"/{StorageProviders.AzuriteContainer}/", objects.PresignGet(key, TimeSpan.FromMinutes(1)).AbsolutePath, StringComparison.Ordinal);
            var blob = new Azure.Storage.Blobs.BlobContainerClient(StackSettings.AzuriteConnectionString, StorageProviders.AzuriteContainer).GetBlobClient(key);
            Assert.Equal(5, (await blob.GetPropertiesAsync()).Value.ContentLength);
            await objects.DeleteAsync(key, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnknownProviderStopsTheFunctionsAppNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = "Blob" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddFunctionsApp());
        Assert.Contains("'Storage:Provider'", error.Message, StringComparison.Ordinal);
    }
}
