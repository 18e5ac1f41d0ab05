using System.Net;
using System.Text.Json;
using FfmpegFunctions.Core.Retention;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Tests.Retention;

/// <summary>The sweeper against the real stack (PostgreSQL, the S3 emulator, a real render), with time moved by a shifted clock.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class RetentionSweeperTests(PipelineMedia media)
{
    [Fact]
    public async Task OutputsExpireAfterTheirRetentionInputsAfterTheirsAndUnusedUploadsFirst()
    {
        await using var bucket = await PrivateBucket.CreateAsync();
        await using var host = await PipelineHost.CreateAsync();
        var clock = new ShiftedClock();
        var server = host.Start(engine: true, extra: bucket.Settings(), services: s => s.AddSingleton<TimeProvider>(clock));
        using var client = server.CreateClient();
        var sweeper = server.Services.GetRequiredService<RetentionSweeper>();

        var used = await host.UploadInputAsync(server, media.Tiny);
        var abandoned = await host.UploadInputAsync(server, media.Tiny);
        var sample = await PrivateBucket.PutAsync(server, "inputs/samples/v1/kept.mp4");
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(used));
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(120), "completed", "failed");
        var output = StorageKeys.Output(id, Core.Compositions.OutputFormat.Mp4);
        Assert.True(await PrivateBucket.ExistsAsync(server, output));

        Assert.Equal(new RetentionSweepResult(true, 0, 0), await sweeper.SweepAsync(CancellationToken.None)); // nothing is old yet

        clock.Offset = TimeSpan.FromDays(2); // past Storage:AbandonedUploadRetention (1 day), within the others
        Assert.Equal(new RetentionSweepResult(true, 0, 1), await sweeper.SweepAsync(CancellationToken.None));
        Assert.False(await PrivateBucket.ExistsAsync(server, abandoned));
        Assert.True(await PrivateBucket.ExistsAsync(server, used));
        Assert.True(await PrivateBucket.ExistsAsync(server, output));

        clock.Offset = TimeSpan.FromDays(91); // past Storage:OutputRetention (90 days) and InputRetention (30 days)
        Assert.Equal(new RetentionSweepResult(true, 1, 1), await sweeper.SweepAsync(CancellationToken.None));
        Assert.Empty(await server.Services.GetRequiredService<IObjectStore>().ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None));
        Assert.False(await PrivateBucket.ExistsAsync(server, used));
        Assert.True(await PrivateBucket.ExistsAsync(server, sample));

        Assert.Equal("expired", (await PipelineHost.GetAsync(client, id)).GetProperty("status").GetString());
        using var download = await client.GetAsync($"/api/compositions/{id}/download");
        Assert.Equal(HttpStatusCode.Gone, download.StatusCode);
        Assert.Equal("application/problem+json", download.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await download.Content.ReadAsStringAsync());
        Assert.Contains("Storage:OutputRetention", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var listed = JsonDocument.Parse(await client.GetStringAsync("/api/compositions?status=expired"));
        var item = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.Equal("expired", item.GetProperty("status").GetString());

        // Idempotent: a second sweep finds nothing left to do.
        Assert.Equal(new RetentionSweepResult(true, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OneInstanceSweepsAtATimeAndASweepWorksThroughManyBatches()
    {
        await using var bucket = await PrivateBucket.CreateAsync();
        await using var host = await PipelineHost.CreateAsync();
        var clock = new ShiftedClock();
        var settings = bucket.Settings(("Storage:RetentionBatchSize", "10"));
        var first = host.Start(engine: false, extra: settings, services: s => s.AddSingleton<TimeProvider>(clock));
        var second = host.Start(engine: false, extra: settings, services: s => s.AddSingleton<TimeProvider>(clock));
        var keys = new List<string>();
        for (var i = 0; i < 25; i++) keys.Add(await PrivateBucket.PutAsync(first, StorageKeys.Input(Guid.CreateVersion7(), $"unused-{i}.mp4")));
        clock.Offset = TimeSpan.FromDays(2);

        // Another instance (here: the test) holds the sweep lock: both instances skip, nothing is deleted.
        await using (var holder = await host.Database.DataSource.OpenConnectionAsync())
        {
            await using var lockCommand = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({RetentionSweeper.LockKey})", holder);
            await lockCommand.ExecuteScalarAsync();
            Assert.Equal(RetentionSweepResult.Skipped, await first.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None));
            Assert.Equal(RetentionSweepResult.Skipped, await second.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None));
            Assert.True(await PrivateBucket.ExistsAsync(first, keys[0]));
            // Explicitly: a pooled connection keeps its session locks when it goes back to the pool.
            await using var unlock = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({RetentionSweeper.LockKey})", holder);
            await unlock.ExecuteScalarAsync();
        }

        // Both at once: together they delete each object once (the loser of the lock skips, or finds nothing left).
        var results = await Task.WhenAll(
            first.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None),
            second.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None));
        Assert.Equal(25, results.Sum(r => r.InputsDeleted));
        Assert.Empty(await first.Services.GetRequiredService<IObjectStore>().ListAsync(StorageKeys.InputsPrefix, 100, CancellationToken.None));
    }

    [Fact]
    public async Task TheServerSweepsOnItsOwnEveryInterval()
    {
        await using var bucket = await PrivateBucket.CreateAsync();
        await using var host = await PipelineHost.CreateAsync();
        var clock = new ShiftedClock { Offset = TimeSpan.FromDays(2) };
        var server = host.Start(engine: false, extra: bucket.Settings(("Storage:RetentionSweepInterval", "00:00:01")),
            services: s => s.AddSingleton<TimeProvider>(clock));
        var unused = await PrivateBucket.PutAsync(server, StorageKeys.Input(Guid.CreateVersion7(), "unused.mp4"));

        await Eventually.BecomesAsync(() => PrivateBucket.ExistsAsync(server, unused), exists => !exists,
            TimeSpan.FromSeconds(30), "the hosted sweep to delete the unused upload");
    }

    [Theory]
    [InlineData("Storage:OutputRetention", "00:00:00")]
    [InlineData("Storage:InputRetention", "not-a-duration-12")]
    [InlineData("Storage:AbandonedUploadRetention", "60.00:00:00")]
    [InlineData("Storage:RetentionBatchSize", "0")]
    public void ABadRetentionSettingStopsTheStartNamingIt(string setting, string value)
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var factory = new ServerFactory(new Dictionary<string, string?> { [setting] = value });
            _ = factory.Services;
        });
        var message = error is OptionsValidationException ? error.Message : error.ToString();
        Assert.Contains(setting.Split(':')[1], message, StringComparison.Ordinal);
    }
}
