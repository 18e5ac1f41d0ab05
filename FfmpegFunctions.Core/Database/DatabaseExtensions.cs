using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
            return new NpgsqlDataSourceBuilder(options.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>())
                // Only commands inside a trace get a span: idle polls (job claims, webhook claims) every second
                // would otherwise each start a one-span trace of their own.
                .ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null))
                .Build();
        });
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    private static bool IsParsable(string? connectionString)
    {
        if (connectionString is null) return true; // reported by [Required]
        try { _ = new NpgsqlConnectionStringBuilder(connectionString); return true; }
        catch (ArgumentException) { return false; }
    }
}
