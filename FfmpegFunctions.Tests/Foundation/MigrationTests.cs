using FfmpegFunctions.Core.Database;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FfmpegFunctions.Tests.Foundation;

public sealed class MigrationTests
{
    private static SchemaMigrator Migrator(TestDatabase db) => new(db.DataSource, NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task MigrationsApplyOnceAndRerunningIsANoOp()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = Migrator(db);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migration.Embedded().Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(first.Count, await db.CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task InitialSchemaHasTheSeedsTablesAndIndexes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).MigrateAsync(CancellationToken.None);

        foreach (var column in new[] { "id", "title", "config", "status", "priority", "created_at", "updated_at", "completed_at", "error_message", "output_key", "thumbnail_key", "output_url" })
            Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM information_schema.columns WHERE table_name = 'compositions' AND column_name = '{column}'"));
        foreach (var column in new[] { "id", "composition_id", "job_id", "status", "progress", "attempts", "lease_owner", "lease_expires_at", "metadata", "created_at", "updated_at" })
            Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs' AND column_name = '{column}'"));
        foreach (var index in new[] { "ix_compositions_status", "ix_compositions_created_at", "ix_jobs_composition_id", "ix_jobs_status" })
            Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM pg_indexes WHERE indexname = '{index}'"));
        Assert.Equal(1, await db.CountAsync("""
            SELECT count(*) FROM information_schema.table_constraints
            WHERE table_name = 'jobs' AND constraint_type = 'FOREIGN KEY'
            """));
    }

    [Fact]
    public async Task AFailingMigrationRollsBackCompletelyAndCanBeRetried()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = Migrator(db);
        Migration good = new("0001", "0001_a", "CREATE TABLE a (id int)");
        Migration broken = new("0002", "0002_b", "CREATE TABLE b (id int); INSERT INTO b VALUES (1); SELECT no_such_function();");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync([good, broken], CancellationToken.None));

        Assert.Contains("0002_b", error.Message);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'b'"));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'a'"));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM schema_migrations"));

        var fixedUp = await migrator.MigrateAsync([good, broken with { Sql = "CREATE TABLE b (id int)" }], CancellationToken.None);
        Assert.Equal(["0002"], fixedUp);
    }

    [Fact]
    public async Task AnAppliedMigrationThatWasEditedStopsTheMigratorNamingIt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = Migrator(db);
        Migration original = new("0001", "0001_a", "CREATE TABLE a (id int)");
        await migrator.MigrateAsync([original], CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            migrator.MigrateAsync([original with { Sql = "CREATE TABLE a (id bigint)" }, new("0002", "0002_b", "CREATE TABLE b (id int)")], CancellationToken.None));

        Assert.Contains("0001_a was changed after it was applied", error.Message);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'b'"));
        Assert.Empty(await migrator.MigrateAsync([original], CancellationToken.None)); // the unchanged file is fine
    }

    [Fact]
    public async Task RowsFromBeforeChecksumsGetThemRecorded()
    {
        await using var db = await TestDatabase.CreateAsync();
        var migrator = Migrator(db);
        Migration original = new("0001", "0001_a", "CREATE TABLE a (id int)");
        await migrator.MigrateAsync([original], CancellationToken.None);
        await using (var clear = db.DataSource.CreateCommand("UPDATE schema_migrations SET checksum = NULL"))
            await clear.ExecuteNonQueryAsync();

        await migrator.MigrateAsync([original], CancellationToken.None);

        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM schema_migrations WHERE checksum = '{original.Checksum}'"));
    }

    [Fact]
    public async Task InstancesStartingTogetherApplyEachMigrationOnce()
    {
        await using var db = await TestDatabase.CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Migrator(db).MigrateAsync(CancellationToken.None)));

        Assert.Equal(Migration.Embedded().Count, results.Sum(r => r.Count));
        Assert.Equal(Migration.Embedded().Count, await db.CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task StatusOutsideTheLifecycleIsRefusedByTheDatabase()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).MigrateAsync(CancellationToken.None);

        await using var command = db.DataSource.CreateCommand("INSERT INTO compositions (id, config, status) VALUES (gen_random_uuid(), '{}', 'bogus')");
        await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }
}
