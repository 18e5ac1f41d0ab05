using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FfmpegFunctions.Core.Database;

public static class DatabaseExtensions
{
    /// <summary>One NpgsqlDataSource for the process, its options validated on start, migrations and a readiness check.</summary>
    public static IHostApplicationBuilder AddPostgres(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PostgresOptions>()
            .BindConfiguration("Database")
            .Configure<IConfiguration>((o, config) => o.ConnectionString ??= config.GetConnectionString("Postgres"))
            .ValidateDataAnnotations()
            .Validate(o => IsParsable(o.ConnectionString), "The setting 'ConnectionStrings:Postgres' is not a valid PostgreSQL connection string.")
            .ValidateOnStart();
        builder.Services.AddOptions<PostgresIdentityOptions>()
            .BindConfiguration("Postgres")
            .Validate<IOptions<PostgresOptions>>((o, pg) => !o.UseManagedIdentity || string.IsNullOrEmpty(Parse(pg.Value.ConnectionString)?.Password),
                "Postgres:UseManagedIdentity is true, but 'ConnectionStrings:Postgres' holds a Password: with a managed identity the app signs in " +
                "with a Microsoft Entra token, so remove the password from the connection string (or set Postgres:UseManagedIdentity to false).")
            .Validate<IOptions<PostgresOptions>>((o, pg) => !o.UseManagedIdentity || Parse(pg.Value.ConnectionString) is not { Username: null or "" },
                "Postgres:UseManagedIdentity is true, but 'ConnectionStrings:Postgres' names no Username: set it to the Microsoft Entra principal " +
                "the server knows the identity by (the managed identity's name).")
            .Validate(o => o.ManagedIdentityClientId is null || Guid.TryParse(o.ManagedIdentityClientId, out _),
                "Postgres:ManagedIdentityClientId must be the client id (a GUID) of a user-assigned managed identity.")
            .Validate(o => o.TokenRefreshMargin >= 2 * EntraTokenPasswordProvider.CheckInterval && o.TokenRefreshMargin <= TimeSpan.FromMinutes(30),
                "Postgres:TokenRefreshMargin must be between 00:02:00 and 00:30:00 (tokens are checked every minute and live about an hour).")
            .ValidateOnStart();
        // Keyed, so the storage provider's credential and this one never stand in for each other; tests replace it.
        builder.Services.TryAddKeyedSingleton<TokenCredential>(PostgresIdentityOptions.CredentialKey, (sp, _) =>
            sp.GetRequiredService<IOptions<PostgresIdentityOptions>>().Value.ManagedIdentityClientId is { } clientId
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new DefaultAzureCredential());
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton(CreateDataSource);
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    private static NpgsqlDataSource CreateDataSource(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
        var identity = sp.GetRequiredService<IOptions<PostgresIdentityOptions>>().Value;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString)
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            // Only commands inside a trace get a span: idle polls (job claims, webhook claims) every second
            // would otherwise each start a one-span trace of their own.
            .ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null));
        if (identity.UseManagedIdentity)
        {
            var provider = new EntraTokenPasswordProvider(
                sp.GetRequiredKeyedService<TokenCredential>(PostgresIdentityOptions.CredentialKey),
                sp.GetRequiredService<TimeProvider>(),
                identity.TokenRefreshMargin,
                sp.GetRequiredService<ILogger<EntraTokenPasswordProvider>>());
            builder.UsePeriodicPasswordProvider(provider.GetPasswordAsync, EntraTokenPasswordProvider.CheckInterval, EntraTokenPasswordProvider.RetryInterval);
        }
        return builder.Build();
    }

    private static bool IsParsable(string? connectionString)
    {
        if (connectionString is null) return true; // reported by [Required]
        return Parse(connectionString) is not null;
    }

    private static NpgsqlConnectionStringBuilder? Parse(string? connectionString)
    {
        if (connectionString is null) return null;
        try { return new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException) { return null; }
    }
}
