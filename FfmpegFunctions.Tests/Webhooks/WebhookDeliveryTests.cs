using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Webhooks;

[Collection(nameof(PipelineCollection))]
public sealed class WebhookDeliveryTests(PipelineMedia media)
{
    private const string Secret = "webhook-tests-secret-0123456789abcdef";

    /// <summary>Loopback receivers need AllowPrivateTargets; short backoff so a retry comes within the test.</summary>
    private static Dictionary<string, string?> WebhookSettings() => new()
    {
        ["Webhooks:SigningSecret"] = Secret,
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.200",
    };

    private static object TinySpec(string source, string callbackUrl) => new
    {
        title = "webhook",
        output = new { width = 160, height = 90, fps = 25 },
        clips = new object[] { new { source } },
        callbackUrl,
    };

    [Fact]
    public async Task ACompletedRenderPostsASignedCompletedEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: true, extra: WebhookSettings());
        using var client = instance.CreateClient();
        var key = await host.UploadInputAsync(instance, media.Tiny);

        var id = await PipelineHost.CreateAsync(client, TinySpec(key, receiver.Url));
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed", "failed");
        var hook = Assert.Single(await ReceivedAsync(receiver, 1));

        var body = VerifiedBody(hook);
        Assert.Equal("composition.completed", body.GetProperty("type").GetString());
        Assert.Equal(id, body.GetProperty("compositionId").GetGuid());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(hook.Id, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("output").GetProperty("duration").GetDouble() > 0.5);
        Assert.Equal(160, body.GetProperty("output").GetProperty("width").GetInt32());
        Assert.False(body.TryGetProperty("error", out _));
        Assert.StartsWith("application/json", hook.ContentType);
        await DeliveryIsAsync(host, id, "delivered", attempts: 1);
    }

    [Fact]
    public async Task AFailedRenderPostsASignedFailedEventWithTheError()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: true, extra: WebhookSettings()).CreateClient();
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4";

        var id = await PipelineHost.CreateAsync(client, TinySpec(missing, receiver.Url));
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed", "completed");
        var hook = Assert.Single(await ReceivedAsync(receiver, 1));

        var body = VerifiedBody(hook);
        Assert.Equal("composition.failed", body.GetProperty("type").GetString());
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal(id, body.GetProperty("compositionId").GetGuid());
        Assert.Contains(missing, body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("output", out _));
        await DeliveryIsAsync(host, id, "delivered", attempts: 1);
    }

    [Fact]
    public async Task AReceiverThatFailsOnceGetsTheSameEventOnRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n == 1 ? 500 : 200);
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: true, extra: WebhookSettings()).CreateClient();
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4"; // failing fast: the retry is what is under test

        var id = await PipelineHost.CreateAsync(client, TinySpec(missing, receiver.Url));
        var hooks = await ReceivedAsync(receiver, 2);

        Assert.Equal(hooks[0].Id, hooks[1].Id);
        Assert.Equal(hooks[0].Body, hooks[1].Body);
        VerifiedBody(hooks[1]);
        await DeliveryIsAsync(host, id, "delivered", attempts: 2);
        Assert.Equal(1, await host.Database.CountAsync($"""
            SELECT count(*) FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.composition_id = '{id}' AND a.attempt = 1 AND a.status_code = 500
            """));
        Assert.Equal(1, await host.Database.CountAsync($"""
            SELECT count(*) FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.composition_id = '{id}' AND a.attempt = 2 AND a.status_code = 200
            """));
    }

    [Fact]
    public async Task AReceiverThatNeverAcceptsEndsFailedAfterTheRetryWindow()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 503);
        await using var host = await PipelineHost.CreateAsync();
        var settings = WebhookSettings();
        settings["Webhooks:MaxRetryWindow"] = "00:00:01";
        using var client = host.Start(engine: true, extra: settings).CreateClient();

        var id = await PipelineHost.CreateAsync(client, TinySpec($"inputs/{Guid.NewGuid()}/gone.mp4", receiver.Url));
        await Eventually.BecomesAsync(
            () => host.Database.CountAsync($"SELECT count(*) FROM webhook_deliveries WHERE composition_id = '{id}' AND status = 'failed' AND last_status_code = 503"),
            n => n == 1, TimeSpan.FromSeconds(30), "the delivery to give up");

        // 0.2 s, 0.4 s, 0.8 s between attempts: the fourth would fall after the 1 s window.
        Assert.InRange(receiver.Received.Count, 2, 4);
    }

    [Fact]
    public async Task DeliveryReChecksTheTargetAndNeverConnectsToAPrivateAddress()
    {
        // As if the host had resolved publicly at creation and points at loopback now (DNS rebinding):
        // the delivery is queued directly, past the creation check.
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await PipelineHost.CreateAsync();
        var settings = WebhookSettings();
        settings["Webhooks:AllowPrivateTargets"] = "false";
        settings["Webhooks:MaxRetryWindow"] = "00:00:00.500";
        using var client = host.Start(engine: false, extra: settings).CreateClient();
        var id = await PipelineHost.CreateAsync(client, new { clips = new object[] { new { source = "inputs/x/clip.mp4" } } });
        await using (var insert = host.Database.DataSource.CreateCommand(
            "INSERT INTO webhook_deliveries (id, composition_id, event_type, payload, url) VALUES (gen_random_uuid(), @id, 'composition.completed', '{}', @url)"))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("url", receiver.Url);
            await insert.ExecuteNonQueryAsync();
        }

        await Eventually.BecomesAsync(
            () => host.Database.CountAsync($"SELECT count(*) FROM webhook_deliveries WHERE composition_id = '{id}' AND status = 'failed' AND last_error LIKE '%public address%' AND last_status_code IS NULL"),
            n => n == 1, TimeSpan.FromSeconds(20), "the delivery to be refused and given up");

        Assert.Empty(receiver.Received);
    }

    private static async Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(WebhookReceiver receiver, int count) =>
        await Eventually.BecomesAsync(() => Task.FromResult(receiver.Received), r => r.Count >= count, TimeSpan.FromSeconds(30),
            $"{count} webhook request(s)");

    private static async Task DeliveryIsAsync(PipelineHost host, Guid id, string status, int attempts) =>
        await Eventually.BecomesAsync(
            () => host.Database.CountAsync($"SELECT count(*) FROM webhook_deliveries WHERE composition_id = '{id}' AND status = '{status}' AND attempts = {attempts}"),
            n => n == 1, TimeSpan.FromSeconds(10), $"the delivery to be {status} after {attempts} attempt(s)");

    /// <summary>Checks the signature the way docs/webhooks.md tells receivers to, then parses the body.</summary>
    private static JsonElement VerifiedBody(ReceivedWebhook hook)
    {
        Assert.NotNull(hook.Timestamp);
        Assert.NotNull(hook.Signature);
        var timestamp = long.Parse(hook.Timestamp, CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -5, 60);
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{hook.Body}")));
        Assert.Equal(expected, hook.Signature);
        using var json = JsonDocument.Parse(hook.Body);
        return json.RootElement.Clone();
    }
}
