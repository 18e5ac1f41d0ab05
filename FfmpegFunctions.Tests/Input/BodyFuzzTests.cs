extern alias functions;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using FfmpegFunctions.Tests.Functions;
using FfmpegFunctions.Tests.Support;
using functions::FfmpegFunctions.Functions.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Input;

/// <summary>
/// Generated bad bodies (<see cref="FuzzBodies"/>) against every route that reads JSON, on the Server and on the
/// Functions app: never a 5xx, every refusal is problem+json, and nothing is stored by a request that was refused.
/// Each run is bounded in time; a failure prints the seed and the shrunk body.
/// </summary>
public sealed class BodyFuzzTests(ITestOutputHelper output)
{
    private const int Seconds = 3;

    [Fact]
    public async Task TheServerNeverAnswers5xxAndStoresNothingItRefuses()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();
        var template = await CreateTemplateAsync((path, body) => ServerAsync(client, HttpMethod.Post, path, body));

        await FuzzAsync(host.Database, fuzz =>
        {
            var (method, path) = Route(fuzz.Target, template);
            return ServerAsync(client, method, path, FuzzBodies.Body(fuzz));
        });
    }

    [Fact]
    public async Task TheFunctionsAppNeverAnswers5xxAndStoresNothingItRefuses()
    {
        await using var host = await FunctionsAppHost.StartAsync();
        var invoker = new HttpFunctionInvoker(host);
        var durable = IdleDurableClient();
        var template = await CreateTemplateAsync((path, body) =>
            FunctionAsync(host, invoker, "CreateTemplate", "POST", path, body, http => host.Create<TemplatesFunctions>().CreateAsync(http.Request, CancellationToken.None)));

        await FuzzAsync(host.Database, fuzz =>
        {
            var (method, path) = Route(fuzz.Target, template);
            var body = FuzzBodies.Body(fuzz);
            return fuzz.Target switch
            {
                FuzzTarget.CreateComposition => FunctionAsync(host, invoker, "CreateComposition", method.Method, path, body,
                    http => host.Create<CompositionsFunctions>().CreateAsync(http.Request, durable, CancellationToken.None)),
                FuzzTarget.CreateTemplate => FunctionAsync(host, invoker, "CreateTemplate", method.Method, path, body,
                    http => host.Create<TemplatesFunctions>().CreateAsync(http.Request, CancellationToken.None)),
                FuzzTarget.UpdateTemplate => FunctionAsync(host, invoker, "UpdateTemplate", method.Method, path, body,
                    http => host.Create<TemplatesFunctions>().UpdateAsync(http.Request, template.ToString(), CancellationToken.None)),
                FuzzTarget.RenderTemplate => FunctionAsync(host, invoker, "RenderTemplate", method.Method, path, body,
                    http => host.Create<TemplatesFunctions>().RenderAsync(http.Request, durable, template.ToString(), CancellationToken.None)),
                _ => FunctionAsync(host, invoker, "CreateUploads", method.Method, path, body,
                    http => host.Create<UploadsFunctions>().CreateAsync(http.Request, CancellationToken.None)),
            };
        });
    }

    /// <summary>One request at a time (threads: 1), so the stored state before and after belongs to that request alone.</summary>
    private async Task FuzzAsync(TestDatabase database, Func<FuzzCase, Task<(int Status, string? ContentType, string Body)>> send)
    {
        var answers = new SortedDictionary<int, int>();
        await FuzzBodies.Cases.SampleAsync(async fuzz =>
        {
            var before = await StoredStateAsync(database);
            var (status, contentType, body) = await send(fuzz);
            answers[status] = answers.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"answered {status}: {body}");
            if (status < 400) return;
            Assert.Equal("application/problem+json", contentType);
            Assert.Equal(before, await StoredStateAsync(database));
        }, writeLine: output.WriteLine, time: Seconds, threads: 1, print: FuzzBodies.Print);
        output.WriteLine("answers: " + string.Join(", ", answers.Select(a => $"{a.Key} x{a.Value}")));
    }

    /// <summary>Counts of compositions and jobs, and a digest of every template name and version.</summary>
    private static async Task<string> StoredStateAsync(TestDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM compositions)::text || '/' || (SELECT count(*) FROM jobs)::text || '/' ||
                   coalesce((SELECT md5(string_agg(t.name || ':' || v.version || ':' || v.spec::text, ',' ORDER BY t.id, v.version))
                             FROM templates t JOIN template_versions v ON v.template_id = t.id), '')
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static (HttpMethod Method, string Path) Route(FuzzTarget target, Guid template) => target switch
    {
        FuzzTarget.CreateComposition => (HttpMethod.Post, "/api/compositions"),
        FuzzTarget.CreateTemplate => (HttpMethod.Post, "/api/templates"),
        FuzzTarget.UpdateTemplate => (HttpMethod.Put, $"/api/templates/{template}"),
        FuzzTarget.RenderTemplate => (HttpMethod.Post, $"/api/templates/{template}/render"),
        _ => (HttpMethod.Post, "/api/uploads"),
    };

    /// <summary>The template that update and render bodies go to, made from the unedited template body.</summary>
    private static async Task<Guid> CreateTemplateAsync(Func<string, byte[], Task<(int Status, string? ContentType, string Body)>> post)
    {
        var (status, _, body) = await post("/api/templates", FuzzBodies.Valid(FuzzTarget.CreateTemplate));
        Assert.True(status == 201, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<(int, string?, string)> ServerAsync(HttpClient client, HttpMethod method, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int, string?, string)> FunctionAsync(FunctionsAppHost host, HttpFunctionInvoker invoker, string name, string method, string path, byte[] body,
        Func<Microsoft.AspNetCore.Http.HttpContext, Task<Microsoft.AspNetCore.Mvc.IActionResult>> function)
    {
        var http = host.NewHttpContext(method, path, "", headers: new Dictionary<string, string> { [TestKeys.Header] = TestKeys.Api });
        http.Request.Body = new MemoryStream(body);
        http.Request.ContentLength = body.Length;
        try
        {
            var response = await invoker.InvokeAsync(name, http, () => function(http));
            return (response.Status, MediaType(response.Headers.ContentType.ToString()), response.Body);
        }
        catch (Exception ex)
        {
            // The Functions host answers an escaping exception with a 500.
            return (500, null, ex.ToString());
        }
    }

    private static string? MediaType(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : null;

    private static DurableTaskClient IdleDurableClient()
    {
        var client = new Mock<DurableTaskClient>("idle");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options?.InstanceId ?? "");
        return client.Object;
    }
}
