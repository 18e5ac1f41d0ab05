extern alias functions;

using System.Text;
using System.Text.Json;
using FfmpegFunctions.Tests.Sources;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>The creation check of stored sources answers alike in the Functions app and the Server, on one database.</summary>
public sealed class SourceCheckParityTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Checking = new() { ["Sources:CheckStoredAtCreation"] = "true" };
    private FunctionsAppHost host = null!;
    private ServerFactory server = null!;

    public async Task InitializeAsync()
    {
        host = await FunctionsAppHost.StartAsync(Checking);
        server = new ServerFactory(new Dictionary<string, string?>(Checking)
        {
            ["ConnectionStrings:Postgres"] = host.Database.ConnectionString,
            ["Workflow:Enabled"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task AMissingSourceIsTheSame400InBothHosts()
    {
        using var media = new TestMedia();
        var key = await host.UploadInputAsync(media.Video("tiny.mp4", seconds: 1, width: 160, height: 90));
        var missing = $"inputs/{Guid.NewGuid()}/gone.mp4";
        var body = JsonSerializer.Serialize(SourceCheckTests.AudioOver(missing, key, Guid.NewGuid().ToString()));

        var http = host.NewHttpContext("POST", "/api/compositions", body, headers: new Dictionary<string, string> { [TestKeys.Header] = TestKeys.Api });
        var functions = await new HttpFunctionInvoker(host).InvokeAsync("CreateComposition", http,
            () => host.Create<CompositionsFunctions>().CreateAsync(http.Request, IdleClient(), CancellationToken.None));
        using var client = server.CreateClient();
        using var twin = await client.PostAsync("/api/compositions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(400, functions.Status);
        Assert.Equal(400, (int)twin.StatusCode);
        var errors = JsonDocument.Parse(functions.Body).RootElement.GetProperty("errors");
        Assert.Equal(JsonDocument.Parse(await twin.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").ToString(), errors.ToString());
        Assert.Equal($"the object '{missing}' does not exist in storage.", errors.GetProperty("/clips/0/source")[0].GetString());
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    private static DurableTaskClient IdleClient()
    {
        var client = new Mock<DurableTaskClient>("idle");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options?.InstanceId ?? "");
        return client.Object;
    }
}
