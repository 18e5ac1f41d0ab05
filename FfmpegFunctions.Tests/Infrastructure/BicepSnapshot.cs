using System.Text.Json;

namespace FfmpegFunctions.Tests.Infrastructure;

/// <summary>
/// The resources main.bicep deploys, with parameters evaluated: `bicep snapshot` of a parameters file that
/// picks Blob storage, a CORS origin and a non-default output retention (so a value that only happens to match
/// the default cannot pass) and leaves every other parameter at its default. Offline, once per test class.
/// </summary>
public sealed class BicepSnapshot : IAsyncLifetime
{
    public const int OutputRetentionDays = 45;
    public const string ConsoleOrigin = "https://console.example.com";

    public IReadOnlyList<JsonElement> Resources { get; private set; } = [];

    private JsonDocument? document;

    public async Task InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("bicep-snapshot-");
        try
        {
            var parameters = Path.Combine(directory.FullName, "evaluated.bicepparam");
            // `using` takes a relative path only.
            var main = Path.GetRelativePath(directory.FullName, BicepTests.MainBicepPath).Replace('\\', '/');
            await File.WriteAllTextAsync(parameters, $"""
                using '{main}'

                param namePrefix = 'snap'
                param storageProvider = 'AzureBlob'
                param outputRetentionDays = {OutputRetentionDays}
                param blobCorsAllowedOrigins = ['{ConsoleOrigin}']
                param internalKeyHash = 'sentinel-internal-key-hash-0123456789abcdef'
                """);

            var result = await BicepTests.RunBicepAsync(directory.FullName, "snapshot", parameters, "--mode", "overwrite");
            Assert.True(result.ExitCode == 0, $"bicep snapshot exited {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");

            document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "evaluated.snapshot.json")));
            Assert.Empty(document.RootElement.GetProperty("diagnostics").EnumerateArray());
            Resources = document.RootElement.GetProperty("predictedResources").EnumerateArray().ToList();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public Task DisposeAsync()
    {
        document?.Dispose();
        return Task.CompletedTask;
    }
}
