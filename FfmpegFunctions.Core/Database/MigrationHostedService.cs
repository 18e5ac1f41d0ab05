using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Database;

/// <summary>Brings the schema up to date before the host starts serving.</summary>
internal sealed class MigrationHostedService(SchemaMigrator migrator, IOptions<PostgresOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart) await migrator.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
