using System.Net;
using System.Text.Json;
using Azure.Core;
using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FfmpegFunctions.Tests.Database;

/// <summary>
/// Postgres:UseManagedIdentity against a real PostgreSQL that demands a password: a fake Entra credential hands out the
/// server's password as its token, which is exactly what Azure Database for PostgreSQL checks a token against.
/// </summary>
public sealed class PostgresEntraSignInTests(PasswordPostgres postgres) : IClassFixture<PasswordPostgres>
{
    private Dictionary<string, string?> Settings(bool useManagedIdentity = true) => new()
    {
        ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
        ["Postgres:UseManagedIdentity"] = useManagedIdentity ? "true" : "false",
        ["Database:MigrateOnStart"] = "false",
    };

    /// <summary>The hosts' own registration (AddPostgres), with the credential swapped for a fake.</summary>
    private static IHost BuildHost(Dictionary<string, string?> settings, TokenCredential? credential)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddPostgres();
        if (credential is not null) builder.Services.AddKeyedSingleton(PostgresIdentityOptions.CredentialKey, credential);
        return builder.Build();
    }

    [Fact]
    public async Task TheDataSourceSignsInWithTheEntraTokenAndRunsAQuery()
    {
        var credential = new FakeCredential(postgres.Password);
        using var host = BuildHost(Settings(), credential);
        await host.StartAsync();

        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT current_user || ':' || 41 + 1");
        var answer = await command.ExecuteScalarAsync();

        Assert.Equal("postgres:42", answer);
        Assert.Equal(["https://ossrdbms-aad.database.windows.net/.default"], credential.Scopes.Distinct());
        await host.StopAsync();
    }

    [Fact]
    public async Task WithoutTheTokenTheSameServerRefusesTheConnection()
    {
        // The control: the server really checks the password, so the test above proves the token was sent.
        using var host = BuildHost(Settings(useManagedIdentity: false), credential: null);
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT 1");

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteScalarAsync());

        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARefusedTokenFailsReadinessNamingTheEntraToken()
    {
        await using var server = new ServerFactory(ServerSettings(), s => s.AddKeyedSingleton<TokenCredential>(PostgresIdentityOptions.CredentialKey, new FakeCredential("not-the-password")));
        using var client = server.CreateClient();

        var (status, error) = await PostgresReadinessAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("PostgreSQL refused the Microsoft Entra token for user 'postgres' (28P01): is that name a Microsoft Entra principal on the server, and is the token for this identity?", error);
    }

    [Fact]
    public async Task ACredentialThatGetsNoTokenFailsReadinessSayingSo()
    {
        await using var server = new ServerFactory(ServerSettings(), s => s.AddKeyedSingleton<TokenCredential>(PostgresIdentityOptions.CredentialKey,
            new FakeCredential(null, new InvalidOperationException("ManagedIdentityCredential authentication unavailable. No response from the IMDS endpoint.\nSee the troubleshooting guide."))));
        using var client = server.CreateClient();

        var (status, error) = await PostgresReadinessAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("No Microsoft Entra token for PostgreSQL user 'postgres' (Postgres:UseManagedIdentity is on): ManagedIdentityCredential authentication unavailable. No response from the IMDS endpoint.", error);
    }

    [Fact]
    public async Task TheServerIsReadyWithTheRightToken()
    {
        await using var server = new ServerFactory(ServerSettings(), s => s.AddKeyedSingleton<TokenCredential>(PostgresIdentityOptions.CredentialKey, new FakeCredential(postgres.Password)));
        using var client = server.CreateClient();

        var (_, error) = await PostgresReadinessAsync(client);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(";Password=secret", null, "holds a Password")]
    [InlineData("", "not-a-guid", "Postgres:ManagedIdentityClientId must be the client id")]
    public async Task AContradictoryIdentitySettingFailsStartSayingWhy(string connectionSuffix, string? clientId, string expected)
    {
        var settings = Settings();
        settings["ConnectionStrings:Postgres"] += connectionSuffix;
        settings["Postgres:ManagedIdentityClientId"] = clientId;
        using var host = BuildHost(settings, new FakeCredential(postgres.Password));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenIsReusedUntilItIsWithinTheMarginOfItsExpiry()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-12-06T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var credential = new FakeCredential(postgres.Password) { Lifetime = TimeSpan.FromMinutes(60), Time = time };
        var provider = new EntraTokenPasswordProvider(credential, time, TimeSpan.FromMinutes(5), NullLogger<EntraTokenPasswordProvider>.Instance);
        var settings = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);

        await provider.GetPasswordAsync(settings, CancellationToken.None);
        time.Now += TimeSpan.FromMinutes(54);
        await provider.GetPasswordAsync(settings, CancellationToken.None);
        Assert.Equal(1, credential.Calls);

        time.Now += TimeSpan.FromMinutes(1.5); // 4.5 minutes before expiry: inside the margin
        await provider.GetPasswordAsync(settings, CancellationToken.None);
        Assert.Equal(2, credential.Calls);
    }

    private Dictionary<string, string?> ServerSettings()
    {
        var settings = Settings();
        settings["Workflow:Enabled"] = "false";
        settings["Storage:RetentionEnabled"] = "false";
        settings["Webhooks:Enabled"] = "false";
        return settings;
    }

    private static async Task<(HttpStatusCode Status, string? Error)> PostgresReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").GetProperty("postgres");
        return (response.StatusCode, check.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FakeCredential(string? token, Exception? failure = null) : TokenCredential
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> scopes = new();
        private int calls;

        public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);
        public TimeProvider Time { get; init; } = TimeProvider.System;
        public IEnumerable<string> Scopes => scopes;
        public int Calls => calls;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            foreach (var scope in requestContext.Scopes) scopes.Enqueue(scope);
            if (failure is not null) throw failure;
            return ValueTask.FromResult(new AccessToken(token!, Time.GetUtcNow() + Lifetime));
        }
    }
}
