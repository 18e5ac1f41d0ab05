extern alias functions;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DurableTask.Core;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Hosting;
using functions::FfmpegFunctions.Functions.Http;
using functions::FfmpegFunctions.Functions.Dispatch;
using functions::FfmpegFunctions.Functions.Workflow;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>
/// The Functions app without the Functions host: its own services (AddFunctionsApp, as Program.cs wires them)
/// on a plain host against the test stack on a private database, and its own orchestrator and activity methods
/// (RenderFunctions, made from that DI) registered on the real Durable Task engine (the in-process test host's
/// in-memory orchestration service behind its gRPC sidecar). Activities get the worker's stopping token, as the Functions host gives them its own.
/// </summary>
public sealed class FunctionsAppHost : IAsyncDisposable
{
    private readonly IHost app;
    private readonly CancellationTokenSource firstWorkerStopping = new();
    private IHost sidecar = null!;
    private IHost clientHost = null!;
    private IHost worker = null!;
    private GrpcChannel channel = null!;

    private FunctionsAppHost(IHost app, TestDatabase database, string workRoot, FaultyObjectStore objects)
    {
        this.app = app;
        Database = database;
        WorkRoot = workRoot;
        Objects = objects;
    }

    public TestDatabase Database { get; }
    public string WorkRoot { get; }

    /// <summary>Every file left under the work root but the live worker's lock (see InstanceWorkFolder).</summary>
    public IReadOnlyList<string> LocalFiles() =>
        Directory.Exists(WorkRoot)
            ? [.. Directory.GetFiles(WorkRoot, "*", SearchOption.AllDirectories).Where(f => !(Path.GetDirectoryName(f) == WorkRoot && f.EndsWith(".lock", StringComparison.Ordinal)))]
            : [];
    public IServiceProvider Services => app.Services;
    public FaultyObjectStore Objects { get; }

    /// <summary>The app's warnings and errors (with exceptions), for failure messages.</summary>
    public ProblemLogs Problems { get; private init; } = null!;
    public DurableTaskClient Client { get; private set; } = null!;

    /// <summary>Activity runs that started, by (worker, step).</summary>
    public ConcurrentDictionary<(string Worker, string Step), int> Runs { get; } = new();

    /// <summary>Activity runs that returned (successfully or not), by step.</summary>
    public ConcurrentDictionary<string, int> Returned { get; } = new();

    public static async Task<FunctionsAppHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, CapturedLogs? logs = null)
    {
        var database = await TestDatabase.CreateAsync();
        var workRoot = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-tests", "fn-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Auth:BootstrapKey"] = TestKeys.Api,
            ["Auth:InternalKeyHash"] = TestKeys.InternalHash,
            ["RateLimit:PermitsPerSecond"] = "10000",
            ["RateLimit:Burst"] = "10000",
            ["Webhooks:SigningSecret"] = "test-only-signing-secret-0123456789",
            // As in ServerFactory: the tests of the creation check turn it on.
            ["Sources:CheckStoredAtCreation"] = "false",
            ["Render:WorkDirectory"] = workRoot,
            ["Dispatch:StopPollInterval"] = "00:00:00.250",
            ["Dispatch:InstanceId"] = "functions-test",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:FfmpegFunctions"] = "Information",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFunctionsApp();
        // The one fake: a storage wrapper that can throw once (S3 timeouts and outages are not reproducible on demand).
        var real = builder.Services.Single(d => d.ServiceType == typeof(IObjectStore));
        builder.Services.Remove(real);
        builder.Services.AddSingleton(sp => new FaultyObjectStore((IObjectStore)real.ImplementationFactory!(sp)));
        builder.Services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<FaultyObjectStore>());
        if (logs is not null) builder.Logging.AddProvider(logs);
        var problems = new ProblemLogs();
        builder.Logging.AddProvider(problems);

        var app = builder.Build();
        await app.StartAsync(); // migrations run here, as at the worker's start
        var host = new FunctionsAppHost(app, database, workRoot, app.Services.GetRequiredService<FaultyObjectStore>()) { Problems = problems };
        await host.StartEngineAsync();
        return host;
    }

    /// <summary>
    /// DurableTaskTestHost's engine (its InMemoryOrchestrationService behind its TaskHubGrpcServer sidecar), with
    /// the worker and the client in hosts of their own. Not DurableTaskTestHost.StartAsync: it builds its hosts with
    /// Host.CreateDefaultBuilder, which reads the test directory's appsettings.json (the Server's, "Urls":
    /// 127.0.0.1:5080), so its sidecar listens on that fixed port instead of the one its client dials. And a worker
    /// host of our own can be stopped alone, which is what a worker restart needs.
    /// </summary>
    private async Task StartEngineAsync()
    {
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var engine = new InMemoryOrchestrationService(loggerFactory);
        var port = Ports.Free();
        sidecar = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2))
                .ConfigureServices(s =>
                {
                    s.AddGrpc();
                    s.AddSingleton<IOrchestrationService>(engine);
                    s.AddSingleton<IOrchestrationServiceClient>(engine);
                    s.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(a => a.UseRouting().UseEndpoints(e => e.MapGrpcService<TaskHubGrpcServer>())))
            .Build();
        await sidecar.StartAsync();
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        clientHost = new HostBuilder()
            .ConfigureServices(s => s.AddDurableTaskClient(b =>
            {
                b.UseGrpc(channel);
                b.RegisterDirectly();
            }))
            .Build();
        await clientHost.StartAsync();
        Client = clientHost.Services.GetRequiredService<DurableTaskClient>();
        worker = await StartWorkerAsync("first", firstWorkerStopping.Token);
    }

    private async Task<IHost> StartWorkerAsync(string name, CancellationToken stopping)
    {
        var next = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(s => s.AddDurableTaskWorker(b =>
            {
                b.UseGrpc(channel);
                b.AddTasks(tasks => Register(tasks, name, stopping));
            }))
            .Build();
        await next.StartAsync();
        return next;
    }

    /// <summary>The app's own functions, as the Functions host would make them (ActivatorUtilities over the app's DI).</summary>
    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(app.Services);

    private void Register(DurableTaskRegistry tasks, string worker, CancellationToken stopping)
    {
        var functions = Create<RenderFunctions>();
        tasks.AddOrchestratorFunc<RenderRequest, RenderOutcome>(RenderWorkflow.Name, (context, _) => functions.RunOrchestratorAsync(context));
        Activity<RenderInput, StepAck>(tasks, worker, StepNames.MarkProcessing, input => functions.MarkProcessingAsync(input, stopping));
        Activity<RenderInput, ProbeSummary>(tasks, worker, StepNames.ProbeInputs, input => functions.ProbeInputsAsync(input, stopping));
        Activity<RenderInput, PlanSummary>(tasks, worker, StepNames.Plan, input => functions.PlanAsync(input, stopping));
        Activity<RenderInput, RenderedOutput>(tasks, worker, StepNames.Render, input => functions.RenderAsync(input, stopping));
        Activity<SegmentInput, RenderedPart>(tasks, worker, StepNames.RenderSegment, input => functions.RenderSegmentAsync(input, stopping));
        Activity<RenderInput, RenderedPart>(tasks, worker, StepNames.RenderAudio, input => functions.RenderAudioAsync(input, stopping));
        Activity<JoinInput, RenderedOutput>(tasks, worker, StepNames.Join, input => functions.JoinAsync(input, stopping));
        Activity<PublishInput, PublishedOutput>(tasks, worker, StepNames.Publish, input => functions.PublishAsync(input, stopping));
        Activity<CompleteInput, StepAck>(tasks, worker, StepNames.MarkCompleted, input => functions.MarkCompletedAsync(input, Client, stopping));
        Activity<FailInput, StepAck>(tasks, worker, StepNames.MarkFailed, input => functions.MarkFailedAsync(input, Client, stopping));
    }

    private void Activity<TIn, TOut>(DurableTaskRegistry tasks, string worker, string step, Func<TIn, Task<StepResult<TOut>>> run) =>
        tasks.AddActivityFunc<TIn, StepResult<TOut>>(step, async (_, input) =>
        {
            Runs.AddOrUpdate((worker, step), 1, (_, n) => n + 1);
            try { return await run(input); }
            finally { Returned.AddOrUpdate(step, 1, (_, n) => n + 1); }
        });

    /// <summary>
    /// Stops the worker as a host shutdown would (its activities' token is cancelled, its gRPC stream closes) and
    /// connects a new one to the same engine: what runs next comes from the orchestration's history.
    /// </summary>
    public async Task RestartWorkerAsync(string name)
    {
        await firstWorkerStopping.CancelAsync();
        await worker.StopAsync();
        worker.Dispose();
        worker = await StartWorkerAsync(name, CancellationToken.None);
    }

    public int RunsOf(string worker, string step) => Runs.TryGetValue((worker, step), out var n) ? n : 0;

    public async Task<string> UploadInputAsync(string path, string contentType = "video/mp4")
    {
        var key = StorageKeys.Input(Guid.NewGuid(), Path.GetFileName(path));
        await Objects.UploadFileAsync(key, path, contentType, CancellationToken.None);
        return key;
    }

    /// <summary>POST /api/compositions through the app's CreateComposition function; the id from its 202.</summary>
    public async Task<Guid> CreateAsync(object spec, DurableTaskClient? client = null)
    {
        var http = Admitted(NewHttpContext("POST", "/api/compositions", JsonSerializer.Serialize(spec)));
        var result = await Create<CompositionsFunctions>().CreateAsync(http.Request, client ?? Client, CancellationToken.None);
        var (status, body) = await ExecuteAsync(http, result);
        if (status != 202) throw new InvalidOperationException($"create answered {status}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    public async Task<(int Status, string Body)> CancelAsync(Guid id)
    {
        var http = Admitted(NewHttpContext("POST", $"/api/compositions/{id}/cancel"));
        return await ExecuteAsync(http, await Create<CompositionsFunctions>().CancelAsync(http.Request, Client, id.ToString(), CancellationToken.None));
    }

    public async Task<JsonElement> GetAsync(Guid id)
    {
        var http = Admitted(NewHttpContext("GET", $"/api/compositions/{id}"));
        var (_, body) = await ExecuteAsync(http, await Create<CompositionsFunctions>().GetAsync(http.Request, id.ToString(), CancellationToken.None));
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    public async Task<JsonElement> WaitForStatusAsync(Guid id, TimeSpan timeout, params string[] statuses)
    {
        try
        {
            return await Eventually.BecomesAsync(() => GetAsync(id), c => statuses.Contains(c.GetProperty("status").GetString()), timeout,
                $"composition {id} to become {string.Join(" or ", statuses)}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + Environment.NewLine + "App problems:" + Environment.NewLine + Problems, ex);
        }
    }

    /// <summary>What the app's guard does before a function runs (these helpers call functions directly): the
    /// bootstrap key's caller, an admin of the default tenant.</summary>
    public static DefaultHttpContext Admitted(DefaultHttpContext http)
    {
        new ApiKeyIdentity(ApiKeyValidator.BootstrapName, false, Tenants.Default, Role.Admin).AttachTo(http);
        return http;
    }

    /// <summary>A request as the Functions ASP.NET Core integration hands it to a function: a real HttpContext over the app's services.</summary>
    public DefaultHttpContext NewHttpContext(string method, string path, string? body = null, string? query = null, IDictionary<string, string>? headers = null)
    {
        var http = new DefaultHttpContext { RequestServices = app.Services };
        http.Features.Set<IHttpResponseFeature>(new StartingResponseFeature());
        http.Request.Method = method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost", 7071);
        http.Request.Path = path;
        if (query is not null) http.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) http.Request.Headers[name] = value;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }
        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>Runs a function's IActionResult the way the Functions host does and reads the response.</summary>
    public static async Task<(int Status, string Body)> ExecuteAsync(HttpContext http, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        await StartingResponseFeature.StartAsync(http);
        return (http.Response.StatusCode, ReadBody(http));
    }


    public static string ReadBody(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return new StreamReader(http.Response.Body).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await firstWorkerStopping.CancelAsync();
        await worker.StopAsync();
        worker.Dispose();
        await clientHost.StopAsync();
        clientHost.Dispose();
        await channel.ShutdownAsync();
        channel.Dispose();
        await sidecar.StopAsync();
        sidecar.Dispose();
        await app.StopAsync();
        app.Dispose();
        await Database.DisposeAsync();
        firstWorkerStopping.Dispose();
        try { Directory.Delete(WorkRoot, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>A response feature that runs OnStarting callbacks (the default one drops them), as Kestrel does before the first byte.</summary>
public sealed class StartingResponseFeature : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> starting = [];
    private bool started;

    public override bool HasStarted => started;

    public override void OnStarting(Func<object, Task> callback, object state) => starting.Add((callback, state));

    public static async Task StartAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpResponseFeature>() is not StartingResponseFeature feature || feature.started) return;
        // Kestrel runs them last-registered first.
        for (var i = feature.starting.Count - 1; i >= 0; i--) await feature.starting[i].Callback(feature.starting[i].State);
        feature.started = true;
    }
}
