using System.Globalization;
using System.Text.Json;
using FfmpegFunctions.Core.Retention;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Infrastructure;

/// <summary>
/// Issue 27 and the rest of issue 20, read from what the template would deploy (bicep snapshot, parameters
/// evaluated) and from the compiled ARM defaults: Azure Managed Redis only, PostgreSQL recovery and Entra
/// identity, outputs kept as the app promises, browser uploads allowed by CORS.
/// </summary>
public sealed partial class BicepTests
{
    internal static string MainBicepPath => MainBicep;

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunBicepAsync(string workingDirectory, params string[] arguments)
    {
        var result = await Bicep.RunAsync(workingDirectory, arguments);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    [Fact]
    public void NoBicepFileMentionsAzureCacheForRedis()
    {
        var offenders = Directory.GetFiles(BicepDir, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("Microsoft.Cache/redis@", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(BicepDir, f));
        Assert.Empty(offenders);
    }

    [Fact]
    public void RedisIsAzureManagedRedisWithATlsDatabaseThatPersists()
    {
        Assert.Empty(snapshot.OfType("Microsoft.Cache/redis"));
        var cluster = Assert.Single(snapshot.OfType("Microsoft.Cache/redisEnterprise"));
        Assert.Equal("Balanced_B0", cluster.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("1.2", cluster.GetProperty("properties").GetProperty("minimumTlsVersion").GetString());
        Assert.Equal("Enabled", cluster.GetProperty("properties").GetProperty("highAvailability").GetString());

        var database = Assert.Single(snapshot.OfType("Microsoft.Cache/redisEnterprise/databases")).GetProperty("properties");
        Assert.Equal("Encrypted", database.GetProperty("clientProtocol").GetString());
        Assert.Equal(10000, database.GetProperty("port").GetInt32());
        // One endpoint, non-cluster semantics: pub/sub and the one-key rate-limit script work unchanged.
        Assert.Equal("EnterpriseCluster", database.GetProperty("clusteringPolicy").GetString());
        var persistence = database.GetProperty("persistence");
        Assert.True(persistence.GetProperty("rdbEnabled").GetBoolean());
        Assert.Equal("6h", persistence.GetProperty("rdbFrequency").GetString());

        // The app's connection string (Key Vault) names that port and TLS.
        var secret = Assert.Single(snapshot.OfType("Microsoft.KeyVault/vaults/secrets"), s => Name(s).Contains("Redis-ConnectionString", StringComparison.Ordinal));
        var value = secret.GetProperty("properties").GetProperty("value").GetString()!;
        Assert.Contains("ssl=True", value, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Cache/redisEnterprise", value, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresKeepsThirtyDaysOfGeoRedundantBackupsAndAdmitsTheAppIdentityOnly()
    {
        var server = Assert.Single(snapshot.OfType("Microsoft.DBforPostgreSQL/flexibleServers")).GetProperty("properties");
        Assert.Equal(30, server.GetProperty("backup").GetProperty("backupRetentionDays").GetInt32());
        Assert.Equal("Enabled", server.GetProperty("backup").GetProperty("geoRedundantBackup").GetString());
        Assert.Equal("Disabled", server.GetProperty("highAvailability").GetProperty("mode").GetString());
        Assert.Equal("Enabled", server.GetProperty("authConfig").GetProperty("activeDirectoryAuth").GetString());
        Assert.Equal("Disabled", server.GetProperty("authConfig").GetProperty("passwordAuth").GetString());
        Assert.False(server.TryGetProperty("administratorLoginPassword", out _));

        var identity = Assert.Single(snapshot.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var administrator = Assert.Single(snapshot.OfType("Microsoft.DBforPostgreSQL/flexibleServers/administrators")).GetProperty("properties");
        Assert.Equal("ServicePrincipal", administrator.GetProperty("principalType").GetString());
        Assert.Equal(Name(identity), administrator.GetProperty("principalName").GetString());

        var settings = AppSettings();
        Assert.Equal("true", settings.GetProperty("Postgres__UseManagedIdentity").GetString());
        var connection = settings.GetProperty("ConnectionStrings__Postgres").GetString()!;
        Assert.Contains("administratorName", connection, StringComparison.Ordinal); // Username = the administrator's principal name
        Assert.DoesNotContain("Password", connection, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OutputsAreVersionedSoftDeletedAndExpireWithTheAppsRetention()
    {
        var blob = Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices")).GetProperty("properties");
        Assert.True(blob.GetProperty("isVersioningEnabled").GetBoolean());
        Assert.True(blob.GetProperty("deleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.Equal(7, blob.GetProperty("deleteRetentionPolicy").GetProperty("days").GetInt32());
        Assert.True(blob.GetProperty("containerDeleteRetentionPolicy").GetProperty("enabled").GetBoolean());
        Assert.Equal(7, blob.GetProperty("containerDeleteRetentionPolicy").GetProperty("days").GetInt32());

        // The app's setting and the rule come from one parameter; the prefixes are the ones the app writes.
        var retention = TimeSpan.Parse(AppSettings().GetProperty("Storage__OutputRetention").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(BicepSnapshot.OutputRetentionDays, retention.TotalDays);
        // A lifecycle prefix starts with the container: the media container is blobContainerName's default, outputs.
        var rules = Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts/managementPolicies"))
            .GetProperty("properties").GetProperty("policy").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(retention.TotalDays, DeleteAfterDays(rules, "outputs/" + FirstSegment(StorageKeys.OutputPrefix(Guid.Empty))));
        Assert.Equal(1, DeleteAfterDays(rules, "outputs/" + FirstSegment(StorageKeys.TempPrefix("job"))));
        // Versions of overwritten or deleted blobs go after the recovery window instead of being billed forever.
        Assert.Contains(rules, r => r.GetProperty("definition").GetProperty("actions").TryGetProperty("version", out var v)
            && v.GetProperty("delete").GetProperty("daysAfterCreationGreaterThan").GetInt32() == 7);
    }

    [Fact]
    public void BrowsersMayPutUploadsToSasLinksWithTheHeadersTheUploadApiNames()
    {
        var rule = Assert.Single(Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices"))
            .GetProperty("properties").GetProperty("cors").GetProperty("corsRules").EnumerateArray());
        Assert.Equal([BicepSnapshot.ConsoleOrigin], Strings(rule, "allowedOrigins"));
        Assert.Equal(["GET", "HEAD", "OPTIONS", "PUT"], Strings(rule, "allowedMethods").Order(StringComparer.Ordinal));

        // Whatever the upload API tells a client to send on its PUT must be allowed by the rule.
        var store = new AzureBlobObjectStore(null!, null!, Options.Create(new AzureBlobOptions()), NullLogger<AzureBlobObjectStore>.Instance);
        var named = store.PutHeaders("video/mp4").Keys.Select(h => h.ToLowerInvariant());
        Assert.Empty(named.Except(Strings(rule, "allowedHeaders").Select(h => h.ToLowerInvariant())));
    }

    [Fact]
    public void InternalKeyHashIsAKeyVaultReferenceToTheSecureParameter()
    {
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", AppSettings().GetProperty("Auth__InternalKeyHash").GetString(), StringComparison.Ordinal);
        var secret = Assert.Single(snapshot.OfType("Microsoft.KeyVault/vaults/secrets"), s => Name(s).Contains("Auth-InternalKeyHash", StringComparison.Ordinal));
        Assert.Equal("[parameters('internalKeyHash')]", secret.GetProperty("properties").GetProperty("value").GetString());
    }

    [Fact]
    public async Task DefaultsAreTheProductionRecoveryPromisesAndTheAppsOwnRetention()
    {
        var result = await Bicep.RunAsync(null, "build", MainBicep, "--stdout");
        AssertClean(result);
        using var template = JsonDocument.Parse(result.Stdout);
        var parameters = template.RootElement.GetProperty("parameters");
        JsonElement Default(string name) => parameters.GetProperty(name).GetProperty("defaultValue");

        Assert.Equal(30, Default("postgresBackupRetentionDays").GetInt32());
        Assert.True(Default("postgresGeoRedundantBackup").GetBoolean());
        Assert.Equal("Disabled", Default("postgresHighAvailability").GetString());
        Assert.Equal(["Disabled", "SameZone", "ZoneRedundant"], parameters.GetProperty("postgresHighAvailability").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Balanced_B0", Default("redisSkuName").GetString());
        Assert.Equal(["AOF", "RDB"], parameters.GetProperty("redisPersistence").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
        // Left alone, the template keeps outputs exactly as long as the app does.
        Assert.Equal(new RetentionOptions().OutputRetention.TotalDays, Default("outputRetentionDays").GetInt32());
        Assert.Equal("securestring", parameters.GetProperty("internalKeyHash").GetProperty("type").GetString());
        Assert.False(parameters.GetProperty("internalKeyHash").TryGetProperty("defaultValue", out _));
    }

    private JsonElement AppSettings() =>
        Assert.Single(snapshot.OfType("Microsoft.Web/sites/config")).GetProperty("properties");

    private static string Name(JsonElement resource) => resource.GetProperty("name").GetString() ?? "";

    private static string FirstSegment(string key) => key[..(key.IndexOf('/') + 1)];

    private static string[] Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(v => v.GetString()!).ToArray();

    /// <summary>Days after which the one rule whose prefix is exactly this deletes base blobs.</summary>
    private static int DeleteAfterDays(IEnumerable<JsonElement> rules, string prefix)
    {
        var rule = Assert.Single(rules, r => r.GetProperty("definition").GetProperty("filters").TryGetProperty("prefixMatch", out var p)
            && p.EnumerateArray().Any(x => x.GetString() == prefix));
        return rule.GetProperty("definition").GetProperty("actions").GetProperty("baseBlob").GetProperty("delete")
            .GetProperty("daysAfterModificationGreaterThan").GetInt32();
    }
}
