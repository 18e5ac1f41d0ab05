extern alias functions;

using System.Net;
using System.Net.Sockets;
using DurableTask.Core;
using FfmpegFunctions.Core.Workflow;
using functions::FfmpegFunctions.Functions.Dispatch;
using functions::FfmpegFunctions.Functions.Workflow;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Bench.Workflow;

/// <summary>
/// The in-process Durable Task engine (Microsoft.DurableTask.InProcessTestHost's in-memory orchestration service
/// behind its gRPC sidecar) running the Functions app's own orchestrator and activities from the app's DI.
/// Hosts are built with HostBuilder, not Host.CreateDefaultBuilder, so no appsettings.json moves the sidecar's port.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private IHost sidecar = null!;
    private IHost worker = null!;
    private GrpcChannel channel = null!;

    public DurableTaskClient Client { get; private set; } = null!;

    public static async Task<DurableEngine> StartAsync(IServiceProvider app)
    {
        var engine = new DurableEngine();
        var service = new InMemoryOrchestrationService(app.GetRequiredService<ILoggerFactory>());
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        engine.sidecar = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2))
                .ConfigureServices(s =>
                {
                    s.AddGrpc();
                    s.AddSingleton<IOrchestrationService>(service);
                    s.AddSingleton<IOrchestrationServiceClient>(service);
                    s.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(a => a.UseRouting().UseEndpoints(e => e.MapGrpcService<TaskHubGrpcServer>())))
            .Build();
        await engine.sidecar.StartAsync();
        engine.channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var functions = ActivatorUtilities.CreateInstance<RenderFunctions>(app);
        engine.worker = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(s =>
            {
                s.AddDurableTaskWorker(b =>
                {
                    b.UseGrpc(engine.channel);
                    b.AddTasks(tasks => Register(tasks, functions, () => engine.Client));
                });
                s.AddDurableTaskClient(b =>
                {
                    b.UseGrpc(engine.channel);
                    b.RegisterDirectly();
                });
            })
            .Build();
        await engine.worker.StartAsync();
        engine.Client = engine.worker.Services.GetRequiredService<DurableTaskClient>();
        return engine;
    }

    private static void Register(DurableTaskRegistry tasks, RenderFunctions f, Func<DurableTaskClient> client)
    {
        var none = CancellationToken.None;
        tasks.AddOrchestratorFunc<RenderRequest, RenderOutcome>(RenderWorkflow.Name, (context, _) => f.RunOrchestratorAsync(context));
        tasks.AddActivityFunc<RenderInput, StepResult<StepAck>>(StepNames.MarkProcessing, (_, i) => f.MarkProcessingAsync(i, none));
        tasks.AddActivityFunc<RenderInput, StepResult<ProbeSummary>>(StepNames.ProbeInputs, (_, i) => f.ProbeInputsAsync(i, none));
        tasks.AddActivityFunc<RenderInput, StepResult<PlanSummary>>(StepNames.Plan, (_, i) => f.PlanAsync(i, none));
        tasks.AddActivityFunc<RenderInput, StepResult<RenderedOutput>>(StepNames.Render, (_, i) => f.RenderAsync(i, none));
        tasks.AddActivityFunc<SegmentInput, StepResult<RenderedPart>>(StepNames.RenderSegment, (_, i) => f.RenderSegmentAsync(i, none));
        tasks.AddActivityFunc<RenderInput, StepResult<RenderedPart>>(StepNames.RenderAudio, (_, i) => f.RenderAudioAsync(i, none));
        tasks.AddActivityFunc<JoinInput, StepResult<RenderedOutput>>(StepNames.Join, (_, i) => f.JoinAsync(i, none));
        tasks.AddActivityFunc<PublishInput, StepResult<PublishedOutput>>(StepNames.Publish, (_, i) => f.PublishAsync(i, none));
        tasks.AddActivityFunc<CompleteInput, StepResult<StepAck>>(StepNames.MarkCompleted, (_, i) => f.MarkCompletedAsync(i, client(), none));
        tasks.AddActivityFunc<FailInput, StepResult<StepAck>>(StepNames.MarkFailed, (_, i) => f.MarkFailedAsync(i, client(), none));
    }

    public async ValueTask DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await channel.ShutdownAsync();
        channel.Dispose();
        await sidecar.StopAsync();
        sidecar.Dispose();
    }
}
