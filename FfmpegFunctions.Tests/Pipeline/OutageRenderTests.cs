using System.Net;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>
/// A PostgreSQL and a Redis of their own (scripts/stack.sh with a separate STACK_NAME and ports), so these tests
/// can stop and restart real servers without touching the shared test stack other classes use in parallel.
/// </summary>
public sealed class PrivateStack : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["STACK_NAME"] = "outage-render", ["PG_PORT"] = "55531", ["REDIS_PORT"] = "56531",
    };

    public string Postgres => $"Host=127.0.0.1;Port={Settings["PG_PORT"]};Username=postgres;Database=postgres";

    public string Redis => $"127.0.0.1:{Settings["REDIS_PORT"]},abortConnect=false";

    public Task RunAsync(params string[] args) => StackScript.RunAsync(Settings, CancellationToken.None, args);

    public Task InitializeAsync() => RunAsync("up", "postgres", "redis");

    public Task DisposeAsync() => RunAsync("down", "postgres", "redis");
}

[Collection(nameof(PipelineCollection))]
public sealed class OutageRenderTests(PipelineMedia media, PrivateStack stack) : IClassFixture<PrivateStack>
{
    [Fact]
    public async Task PostgresRestartedMidRenderTheRenderCompletesAndPublishesExactlyOneOutput()
    {
        await using var host = await PipelineHost.CreateAsync(stack.Postgres);
        var instance = host.Start(engine: true, extra: new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = stack.Redis });
        using var client = instance.CreateClient();
        var id = await host.StartLongRenderAsync(instance, client, media.Long);

        await stack.RunAsync("down", "postgres");
        await stack.RunAsync("up", "postgres");

        var view = await Eventually.BecomesAsync(() => TryGetAsync(client, id), v => v?.GetProperty("status").GetString() is "completed" or "failed",
            TimeSpan.FromSeconds(120), "the render to finish after the restart");
        Assert.Equal("completed", view!.Value.GetProperty("status").GetString());
        await Eventually.BecomesAsync(() => host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND status = 'completed'"),
            n => n == 1, TimeSpan.FromSeconds(15), "the job to be finished");
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'Publish'"));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM job_steps s JOIN jobs j ON j.id = s.job_id WHERE j.composition_id = '{id}' AND s.step = 'MarkCompleted'"));
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        Assert.Equal(2, (await objects.ListAsync(StorageKeys.OutputPrefix(id), 10, CancellationToken.None)).Count);
        Assert.Empty(await objects.ListAsync(StorageKeys.TempPrefix(id.ToString("D")), 10, CancellationToken.None));
    }

    [Fact]
    public async Task RedisStoppedMidRenderTheRenderCompletesProgressIsPolledAndTheApiKeepsAnswering()
    {
        await using var host = await PipelineHost.CreateAsync(stack.Postgres);
        var instance = host.Start(engine: true, extra: new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = stack.Redis });
        using var client = instance.CreateClient();
        var id = await host.StartLongRenderAsync(instance, client, media.Long);
        var before = (await PipelineHost.GetAsync(client, id)).GetProperty("progress").GetDouble();

        await stack.RunAsync("down", "redis");
        try
        {
            using var list = await client.GetAsync("/api/compositions");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            // No events without Redis: the stored progress, read by polling, still moves.
            await Eventually.BecomesAsync(() => PipelineHost.GetAsync(client, id),
                v => v.GetProperty("progress").GetDouble() > before || v.GetProperty("status").GetString() == "completed",
                TimeSpan.FromSeconds(60), "polled progress to move on");
            var view = await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(120), "completed", "failed");
            Assert.Equal("completed", view.GetProperty("status").GetString());
            Assert.Equal(1, view.GetProperty("attempts").GetInt32());
        }
        finally
        {
            await stack.RunAsync("up", "redis");
        }
    }

    private static async Task<System.Text.Json.JsonElement?> TryGetAsync(HttpClient client, Guid id)
    {
        // While the database is coming back the API answers problem+json (503/500): keep polling.
        using var response = await client.GetAsync($"/api/compositions/{id}");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }
}
