using System.Collections.Concurrent;
using System.Text.Json;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;

namespace FfmpegFunctions.Tests.Pipeline;

[Collection(nameof(PipelineCollection))]
public sealed class RenderPipelineTests(PipelineMedia media)
{
    [Fact]
    public async Task ACompositionCreatedOverHttpCompletesAndEveryChannelSeesIt()
    {
        await using var host = await PipelineHost.CreateAsync();
        // The API instance runs no engine: the render happens on another instance, so the SignalR
        // client only hears about it through the Redis backplane.
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var key = await host.UploadInputAsync(api, media.Clip);

        var id = await PipelineHost.CreateAsync(client, Specs.TwoClipsWithFade(key, key));

        await using var redis = await ConnectionMultiplexer.ConnectAsync(StackSettings.Redis);
        var redisMessages = new ConcurrentQueue<(string Channel, JsonElement Body)>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern($"composition:{id:D}:*"),
            (channel, message) => redisMessages.Enqueue((channel.ToString(), JsonDocument.Parse(message.ToString()).RootElement.Clone())));

        var progress = new ConcurrentQueue<double>();
        var completed = new TaskCompletionSource<StatusEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = HubFor(api);
        hub.On<ProgressEvent>("progress", p => progress.Enqueue(p.Progress));
        hub.On<StatusEvent>("completed", s => completed.TrySetResult(s));
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement?>("Subscribe", id);

        host.Start(engine: true);
        var done = await completed.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(id, done.CompositionId);
        Assert.NotEmpty(progress);
        Assert.Equal(100, progress.Last());
        Assert.Equal(progress.Order(), progress); // never goes down

        var view = await PipelineHost.GetAsync(client, id);
        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(100, view.GetProperty("progress").GetDouble());
        var output = view.GetProperty("output");
        Assert.Equal(320, output.GetProperty("width").GetInt32());
        Assert.Equal(3.5, output.GetProperty("duration").GetDouble(), 0.05);

        var links = JsonDocument.Parse(await client.GetStringAsync($"/api/compositions/{id}/download")).RootElement;
        using var download = new HttpClient();
        var file = Path.Combine(host.WorkRoot, "downloaded.mp4");
        Directory.CreateDirectory(host.WorkRoot);
        await File.WriteAllBytesAsync(file, await download.GetByteArrayAsync(links.GetProperty("url").GetString()));
        var probed = FfprobeReader.Read(file);
        Assert.Equal("h264", probed.VideoCodec);
        Assert.Equal("aac", probed.AudioCodec);
        Assert.Equal((320, 180), (probed.Width, probed.Height));
        Assert.Equal(3.5, probed.Duration, 0.05);
        Assert.Equal(output.GetProperty("sizeBytes").GetInt64(), new FileInfo(file).Length);
        var thumbnail = await download.GetByteArrayAsync(links.GetProperty("thumbnailUrl").GetString());
        Assert.Equal([0xFF, 0xD8], thumbnail[..2]); // a JPEG

        await Eventually.BecomesAsync(() => Task.FromResult(redisMessages.ToArray()),
            m => m.Any(x => x.Channel.EndsWith(":status", StringComparison.Ordinal) && x.Body.GetProperty("status").GetString() == "completed"),
            TimeSpan.FromSeconds(5), "the completed status on Redis");
        var channels = redisMessages.Select(m => m.Channel).Distinct().ToList();
        Assert.Contains($"composition:{id:D}:progress", channels);
        Assert.Contains($"composition:{id:D}:status", channels);
        Assert.All(redisMessages, m =>
        {
            Assert.Equal(id, m.Body.GetProperty("compositionId").GetGuid());
            Assert.True(m.Body.TryGetProperty("timestamp", out _));
        });
    }

    [Fact]
    public async Task AFailedRenderIsPublishedOnTheErrorChannelAndToSignalR()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        var missing = $"inputs/{Guid.NewGuid()}/nowhere.mp4";
        var id = await PipelineHost.CreateAsync(client, Specs.Simple(missing));

        await using var redis = await ConnectionMultiplexer.ConnectAsync(StackSettings.Redis);
        var errors = new ConcurrentQueue<JsonElement>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(CompositionChannels.Error(id)),
            (_, message) => errors.Enqueue(JsonDocument.Parse(message.ToString()).RootElement.Clone()));
        var failed = new TaskCompletionSource<ErrorEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = HubFor(api);
        hub.On<ErrorEvent>("failed", e => failed.TrySetResult(e));
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement?>("Subscribe", id);

        host.Start(engine: true);
        var error = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(missing, error.Error);
        await Eventually.BecomesAsync(() => Task.FromResult(errors.Count), n => n > 0, TimeSpan.FromSeconds(5), "the error on Redis");
        Assert.Contains(missing, errors.First().GetProperty("error").GetString());
    }

    /// <summary>A SignalR client of the in-memory server, sending the test key as a browser-less client would.</summary>
    private static HubConnection HubFor(ServerFactory api) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(api.Server.BaseAddress, CompositionsHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
                o.Headers[TestKeys.Header] = TestKeys.Api;
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
}
