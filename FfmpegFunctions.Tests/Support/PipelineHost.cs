using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// One or more Server instances on a private database (so queue assertions see only their own jobs),
/// sharing the test stack's Redis and bucket, with engine timings short enough for tests.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    private readonly List<ServerFactory> instances = [];

    private PipelineHost(TestDatabase database, string workRoot)
    {
        Database = database;
        WorkRoot = workRoot;
    }

    public TestDatabase Database { get; }

    /// <summary>Local work folders of every instance live under here.</summary>
    public string WorkRoot { get; }

    /// <param name="postgres">A private PostgreSQL server (outage tests) instead of the test stack's.</param>
    public static async Task<PipelineHost> CreateAsync(string? postgres = null)
    {
        var workRoot = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-tests", Guid.NewGuid().ToString("N"));
        return new PipelineHost(await TestDatabase.CreateAsync(server: postgres), workRoot);
    }

    /// <summary>Starts an instance. With <paramref name="engine"/> false it serves the API and hub only.</summary>
    public ServerFactory Start(bool engine, string? instanceId = null, int slots = 1, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? services = null, CapturedLogs? logs = null)
    {
        var factory = new ServerFactory(Settings(engine, instanceId, slots, extra), services) { Logs = logs };
        _ = factory.Services; // start the host now, not at first request
        instances.Add(factory);
        return factory;
    }

    /// <summary>Starts an instance on Kestrel at http://127.0.0.1:{port} (a real socket, for a browser).</summary>
    public ServerFactory StartListening(int port, bool engine = true, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var factory = new ServerFactory(Settings(engine, null, 1, extra));
        factory.UseKestrel(port);
        factory.StartServer();
        instances.Add(factory);
        return factory;
    }

    private Dictionary<string, string?> Settings(bool engine, string? instanceId, int slots, IReadOnlyDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Workflow:Enabled"] = engine ? "true" : "false",
            ["Workflow:MaxConcurrentJobs"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Workflow:HeartbeatInterval"] = "00:00:00.200",
            ["Workflow:LeaseDuration"] = "00:00:05",
            ["Workflow:PollInterval"] = "00:00:00.250",
            ["Workflow:RetryBaseDelay"] = "00:00:00.100",
            ["Workflow:InstanceId"] = instanceId ?? "engine-" + Guid.NewGuid().ToString("N")[..8],
            ["Render:WorkDirectory"] = WorkRoot,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    /// <summary>Every file the instances left in their work folders (each instance has its own folder under the root,
    /// and beside it the lock that says it is alive, which is no leftover).</summary>
    public IReadOnlyList<string> LocalFiles() =>
        Directory.Exists(WorkRoot)
            ? [.. Directory.GetFiles(WorkRoot, "*", SearchOption.AllDirectories).Where(f => !(Path.GetDirectoryName(f) == WorkRoot && f.EndsWith(".lock", StringComparison.Ordinal)))]
            : [];

    public async Task StopAsync(ServerFactory instance)
    {
        instances.Remove(instance);
        await instance.DisposeAsync();
    }

    /// <summary>Puts a local file into the bucket under inputs/{new id}/ and returns its key.</summary>
    public async Task<string> UploadInputAsync(ServerFactory instance, string path, string contentType = "video/mp4")
    {
        var key = StorageKeys.Input(Guid.NewGuid(), Path.GetFileName(path));
        await instance.Services.GetRequiredService<IObjectStore>().UploadFileAsync(key, path, contentType, CancellationToken.None);
        return key;
    }

    public static async Task<Guid> CreateAsync(HttpClient client, object spec, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/compositions") { Content = JsonContent.Create(spec) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202) throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Creates a render long enough to interrupt (a 4 s source upscaled to 720p with x264 "slow") and
    /// waits until ffmpeg is encoding it.
    /// </summary>
    public async Task<Guid> StartLongRenderAsync(ServerFactory instance, HttpClient client, string longSource)
    {
        var key = await UploadInputAsync(instance, longSource);
        var id = await CreateAsync(client, Specs.Simple(key, width: 1280, height: 720, preset: "slow"));
        await Eventually.BecomesAsync(() => GetAsync(client, id),
            c => c.GetProperty("currentStep").GetString() == "Render" && c.GetProperty("progress").GetDouble() > 0,
            TimeSpan.FromSeconds(60), "the render to be under way");
        return id;
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"/api/compositions/{id}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    /// <summary>Waits until the composition reaches one of the given statuses.</summary>
    public static Task<JsonElement> WaitForStatusAsync(HttpClient client, Guid id, TimeSpan timeout, params string[] statuses) =>
        Eventually.BecomesAsync(
            () => GetAsync(client, id),
            c => statuses.Contains(c.GetProperty("status").GetString()),
            timeout,
            $"composition {id} to become {string.Join(" or ", statuses)}");

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        instances.Clear();
        await Database.DisposeAsync();
        try { Directory.Delete(WorkRoot, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
