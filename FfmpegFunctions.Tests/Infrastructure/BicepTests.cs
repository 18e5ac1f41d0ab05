using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FfmpegFunctions.Tests.Infrastructure;

/// <summary>
/// Builds and lints infra/bicep with the pinned bicep CLI (offline). bicep exits 0 on warnings,
/// so every test also fails on any "Warning" or "Error" line it prints.
/// </summary>
public sealed partial class BicepTests(BicepSnapshot snapshot) : IClassFixture<BicepSnapshot>
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly string BicepDir = Path.Combine(RepoRoot, "infra", "bicep");
    private static readonly string MainBicep = Path.Combine(BicepDir, "main.bicep");
    private static readonly string ParamsFile = Path.Combine(BicepDir, "main.bicepparam");

    // A well-formed hash (main.bicep requires 43 characters), of no key anyone holds.
    private const string SentinelKeyHash = "sentinel-internal-key-hash-0123456789abcdef";

    // Secrets reach the params file only through these environment variables.
    private static readonly Dictionary<string, string?> SecretEnvironment = new()
    {
        ["INTERNAL_KEY_HASH"] = SentinelKeyHash,
        ["S3_ACCESS_KEY"] = "sentinel-s3-access-key",
        ["S3_SECRET_KEY"] = "sentinel-s3-secret-key",
    };

    [Fact]
    public async Task MainTemplateBuildsWithoutDiagnostics()
    {
        var result = await Bicep.RunAsync(null, "build", MainBicep, "--stdout");

        AssertClean(result);
        using var template = JsonDocument.Parse(result.Stdout);
        Assert.True(template.RootElement.TryGetProperty("resources", out _));
    }

    [Fact]
    public async Task EveryBicepFileLintsWithoutDiagnostics()
    {
        // One process for main.bicep and every module, so a module is linted on its own too.
        var result = await Bicep.RunAsync(BicepDir, "lint", "--pattern", "**/*.bicep");

        AssertClean(result);
    }

    public static TheoryData<string> BicepFiles() =>
        new(Directory.GetFiles(BicepDir, "*.bicep*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(BicepDir, f))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task EveryFileIsInBicepFormat(string relativePath)
    {
        var path = Path.Combine(BicepDir, relativePath);

        var result = await Bicep.RunAsync(null, "format", path, "--stdout");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(path), result.Stdout);
    }

    [Fact]
    public async Task ParamsFileLintsAndBuildsWhenTheSecretsComeFromTheEnvironment()
    {
        var lint = await Bicep.RunAsync(null, SecretEnvironment, "lint", ParamsFile);
        AssertClean(lint);

        var build = await Bicep.RunAsync(null, SecretEnvironment, "build-params", ParamsFile, "--stdout");
        AssertClean(build);
        using var output = JsonDocument.Parse(build.Stdout);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        var values = parameters.RootElement.GetProperty("parameters");
        Assert.Equal(SentinelKeyHash, values.GetProperty("internalKeyHash").GetProperty("value").GetString());
        Assert.Equal("sentinel-s3-access-key", values.GetProperty("s3AccessKey").GetProperty("value").GetString());
        Assert.Equal("sentinel-s3-secret-key", values.GetProperty("s3SecretKey").GetProperty("value").GetString());
    }

    [Fact]
    public async Task ParamsFileRefusesToBuildWithoutTheSecretEnvironment()
    {
        var unset = SecretEnvironment.ToDictionary(kv => kv.Key, _ => (string?)null);

        var build = await Bicep.RunAsync(null, unset, "build-params", ParamsFile, "--stdout");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("BCP427", build.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ParamsFileHoldsNoSecretValue()
    {
        var text = File.ReadAllText(ParamsFile);
        var secureParams = SecureParamPattern().Matches(File.ReadAllText(MainBicep)).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["internalKeyHash", "s3AccessKey", "s3SecretKey"], secureParams.Order());

        var assignments = ParamAssignmentPattern().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        foreach (var name in secureParams)
        {
            // Either absent (passed on the command line) or read from the deployer's environment.
            if (assignments.TryGetValue(name, out var value))
            {
                Assert.Matches(EnvironmentRead(), value);
            }
        }

        foreach (var (name, value) in assignments.Where(a => SecretLikeName().IsMatch(a.Key)))
        {
            Assert.True(EnvironmentRead().IsMatch(value), $"{name} must come from readEnvironmentVariable, not '{value}'");
        }

        Assert.DoesNotMatch(@"(?i)(password|secret|key)\w*\s*=\s*'[^']+'", text);
        Assert.False(File.Exists(Path.Combine(BicepDir, "main.parameters.json")), "one parameters file, the .bicepparam");
    }

    [Fact]
    public async Task CompiledTemplateHasTheFlexRuntimeAndTheSettingsTheAppReads()
    {
        var result = await Bicep.RunAsync(null, "build", MainBicep, "--stdout");
        AssertClean(result);
        using var template = JsonDocument.Parse(result.Stdout);
        var resources = ResourcesOf(template.RootElement).ToList();

        var site = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal(4096, config.GetProperty("scaleAndConcurrency").GetProperty("instanceMemoryMB").GetInt32());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());

        var plan = Assert.Single(resources, r => Type(r) == "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());

        var storage = Assert.Single(resources, r => Type(r) == "Microsoft.Storage/storageAccounts");
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("properties").GetProperty("allowBlobPublicAccess").GetBoolean());

        var settings = Assert.Single(resources, r => Type(r) == "Microsoft.Web/sites/config").GetProperty("properties");
        var names = settings.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        string[] required =
        [
            "ConnectionStrings__Postgres", "Postgres__UseManagedIdentity", "ConnectionStrings__Redis",
            "Auth__InternalKeyHash", "Storage__OutputRetention",
            "S3__Bucket", "S3__ServiceUrl", "S3__Region", "S3__AccessKey", "S3__SecretKey", "S3__ForcePathStyle",
            "Storage__Provider", "Storage__AzureBlob__ServiceUri", "Storage__AzureBlob__Container", "AZURE_CLIENT_ID",
            "Ffmpeg__FfmpegPath", "Ffmpeg__FfprobePath",
            "AzureSignalRConnectionString",
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        ];
        Assert.Equal([], required.Where(n => !names.Contains(n)).ToArray());
        // Flex takes the runtime from functionAppConfig and rejects these settings.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", names);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", names);
        Assert.Equal("/home/site/wwwroot/tools/ffmpeg", settings.GetProperty("Ffmpeg__FfmpegPath").GetString());
        Assert.Equal("/home/site/wwwroot/tools/ffprobe", settings.GetProperty("Ffmpeg__FfprobePath").GetString());
        foreach (var secretSetting in new[] { "Auth__InternalKeyHash", "ConnectionStrings__Redis", "S3__AccessKey", "S3__SecretKey", "AzureSignalRConnectionString" })
        {
            Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings.GetProperty(secretSetting).GetString(), StringComparison.Ordinal);
        }

        // PostgreSQL: a token, never a password (the identity is an Entra administrator, see postgres.bicep).
        Assert.Equal("true", settings.GetProperty("Postgres__UseManagedIdentity").GetString());
        Assert.DoesNotContain("Password", settings.GetProperty("ConnectionStrings__Postgres").GetString(), StringComparison.OrdinalIgnoreCase);

        // With Storage:Provider=AzureBlob the identity gets Blob Data Contributor on the media container and
        // Blob Delegator on the account (user delegation keys are an account-level operation).
        var mediaRoles = resources.Where(r => Type(r) == "Microsoft.Authorization/roleAssignments"
                && (r.TryGetProperty("condition", out var c) ? c.GetString() ?? "" : "").Contains("mediaContainerName", StringComparison.Ordinal))
            .Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString() ?? "").ToList();
        Assert.Equal(2, mediaRoles.Count);
        Assert.Contains(mediaRoles, id => id.Contains("storageBlobDataContributor", StringComparison.Ordinal));
        Assert.Contains(mediaRoles, id => id.Contains("storageBlobDelegator", StringComparison.Ordinal));
        Assert.Contains(resources, r => Type(r) == "Microsoft.Storage/storageAccounts/blobServices/containers"
            && (r.TryGetProperty("condition", out var c) ? c.GetString() ?? "" : "").Contains("mediaContainerName", StringComparison.Ordinal));

        // The AllowAllAzureServices rule exists only in publicAccess mode; vnet mode has no public endpoint.
        var firewall = Assert.Single(resources, r => Type(r) == "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules");
        Assert.Contains("isVnet", firewall.GetProperty("condition").GetString() ?? "", StringComparison.Ordinal);
        Assert.Equal("0.0.0.0", firewall.GetProperty("properties").GetProperty("startIpAddress").GetString());

        var secrets = resources.Where(r => Type(r) == "Microsoft.KeyVault/vaults/secrets").ToList();
        Assert.Equal(5, secrets.Count);

        var outputs = template.RootElement.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            ["functionAppHostName", "functionAppName", "functionAppUrl", "identityClientId", "keyVaultName", "postgresFqdn", "redisHostName", "signalRName"],
            outputs.Order(StringComparer.Ordinal));
        // The exact list above is the no-secrets check: names and endpoints only.
    }

    private static void AssertClean(BicepResult result)
    {
        var all = result.Stderr + "\n" + (result.Stdout.TrimStart().StartsWith('{') ? "" : result.Stdout);
        Assert.True(result.ExitCode == 0, $"bicep {result.Arguments} exited {result.ExitCode}:\n{all}");
        Assert.False(all.Contains("Warning", StringComparison.Ordinal) || all.Contains("Error", StringComparison.Ordinal),
            $"bicep {result.Arguments} printed diagnostics:\n{all}");
    }

    private static string? Type(JsonElement resource) =>
        resource.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    /// <summary>Resources of a template and of every nested module deployment (array or symbolic-name form).</summary>
    private static IEnumerable<JsonElement> ResourcesOf(JsonElement template)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            yield break;
        }

        var items = resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray()
            : resources.EnumerateObject().Select(p => p.Value);
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            yield return resource;
            if (Type(resource) == "Microsoft.Resources/deployments"
                && resource.GetProperty("properties").TryGetProperty("template", out var nested))
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FfmpegFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FfmpegFunctions.sln above {AppContext.BaseDirectory}");
    }

    // @secure() and any other decorators after it, then the parameter.
    [GeneratedRegex(@"@secure\(\)\s*\r?\n(?:\s*@\w+\([^\r\n]*\)\s*\r?\n)*\s*param\s+(\w+)")]
    private static partial Regex SecureParamPattern();

    [GeneratedRegex(@"^\s*param\s+(\w+)\s*=\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ParamAssignmentPattern();

    [GeneratedRegex(@"^readEnvironmentVariable\('[A-Z0-9_]+'\)$")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex("(?i)password|secret|key")]
    private static partial Regex SecretLikeName();

    private sealed record BicepResult(string Arguments, int ExitCode, string Stdout, string Stderr);

    /// <summary>The bicep binary from the Azure.Bicep.CommandLine.linux-x64 package (see the test csproj).</summary>
    private static class Bicep
    {
        private static readonly Lazy<string> Path = new(Locate);

        public static Task<BicepResult> RunAsync(string? workingDirectory, params string[] arguments) =>
            RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

        public static async Task<BicepResult> RunAsync(string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo(Path.Value)
            {
                WorkingDirectory = workingDirectory ?? RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var key in SecretEnvironment.Keys)
            {
                start.Environment.Remove(key); // a developer's own values must not leak into a test
            }

            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new BicepResult(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
        }

        private static string Locate()
        {
            var path = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepPath").Value;
            Assert.True(File.Exists(path), $"bicep not found at '{path}': restore FfmpegFunctions.Tests");

            // NuGet may extract the binary without the execute bit.
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path!);
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & UnixFileMode.UserExecute) == 0)
                {
                    File.SetUnixFileMode(path!, mode | exec);
                }
            }

            return path!;
        }
    }
}
