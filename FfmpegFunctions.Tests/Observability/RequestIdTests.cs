using System.Net;
using System.Text.Json;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Observability;

public sealed class RequestIdTests
{
    private static readonly Dictionary<string, string?> InformationLogs = new() { ["Logging:LogLevel:Default"] = "Information" };

    [Fact]
    public async Task AClientRequestIdComesBackAndTagsEveryLogLineOfThatRequest()
    {
        var logs = new CapturedLogs();
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: InformationLogs, logs: logs);
        using var client = api.CreateClient();
        var id = "client-req:" + Guid.NewGuid().ToString("N");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/compositions");
        request.Headers.Add(RequestId.HeaderName, id);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, response.Headers.GetValues(RequestId.HeaderName).Single());
        var line = Assert.Single(logs.Entries, e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal) && Equals(e.Fields.GetValueOrDefault("request_id"), id));
        Assert.Equal(200, line.Fields["status_code"]);
        Assert.True(line.Fields["duration_ms"] is double);
    }

    [Theory]
    [InlineData("bad id with spaces")]
    [InlineData("a-string-of-200-characters")]
    public async Task AMalformedRequestIdIsReplacedNotEchoed(string offered)
    {
        if (offered.StartsWith("a-string", StringComparison.Ordinal)) offered = new string('a', 200);
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation(RequestId.HeaderName, offered);
        using var response = await client.SendAsync(request);

        var returned = response.Headers.GetValues(RequestId.HeaderName).Single();
        Assert.NotEqual(offered, returned);
        Assert.True(RequestId.IsValid(returned));
    }

    [Fact]
    public async Task ProblemBodiesCarryTheRequestId()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();

        foreach (var path in new[] { $"/api/compositions/{Guid.NewGuid()}", "/no/such/route" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(response.Headers.GetValues(RequestId.HeaderName).Single(), body.RootElement.GetProperty("requestId").GetString());
        }
        using var anonymous = api.CreateClientWithKey(null);
        using var refused = await anonymous.GetAsync("/api/compositions");
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(refused.Headers.GetValues(RequestId.HeaderName).Single(), problem.RootElement.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task TheWorkerLogsTheRequestThatCreatedTheJob()
    {
        var logs = new CapturedLogs();
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false);
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add(RequestId.HeaderName, "create-42");
        // A source that does not exist: the job fails at its first real step, quickly and without ffmpeg.
        var id = await PipelineHost.CreateAsync(client, Specs.Simple("inputs/00000000-0000-0000-0000-000000000001/missing.mp4"));
        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM jobs WHERE composition_id = '{id}' AND metadata->>'request_id' = 'create-42'"));

        host.Start(engine: true, extra: InformationLogs, logs: logs);
        await PipelineHost.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "failed");
        // The worker logs the job's end just after the composition is marked failed.
        await Eventually.BecomesAsync(() => Task.FromResult(logs.Entries.Any(e => e.Category.EndsWith("WorkflowWorker", StringComparison.Ordinal)
            && Equals(e.Fields.GetValueOrDefault("composition_id"), id))), done => done, TimeSpan.FromSeconds(10), "the worker to log the job's end");

        var workerLines = logs.Entries.Where(e => Equals(e.Fields.GetValueOrDefault("composition_id"), id)).ToList();
        Assert.NotEmpty(workerLines);
        Assert.All(workerLines, e => Assert.Equal("create-42", e.Fields.GetValueOrDefault(RequestId.ScopeField)));
        Assert.Contains(workerLines, e => e.Category.EndsWith("WorkflowWorker", StringComparison.Ordinal));
    }
}
