using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Input;

/// <summary>
/// A body that does not bind is the client's error in every environment. In Development minimal APIs throw on
/// binding failures (for the developer exception page), which our exception handler turned into a 500.
/// </summary>
public sealed class BindingErrorTests
{
    public static TheoryData<string, string> BrokenBodies => new()
    {
        { "Development", "[]" },
        { "Development", """{"files":{"fileName":"a.mp4"}}""" },
        { "Development", """{"files":[{"fileName":1,"contentType":"video/mp4"}]}""" },
        { "Development", """{"files":[{"fileName":"a.mp4","contentType":"video/mp4","size":1e20}]}""" },
        { "Development", "{not json" },
        { "Testing", "[]" },
        { "Testing", """{"files":[{"fileName":"a.mp4","contentType":"video/mp4","size":1e20}]}""" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task AnUploadBodyThatDoesNotBindIsA400ProblemInEveryEnvironment(string environment, string body)
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false, extra: In(environment)).CreateClient();

        using var response = await client.PostAsync("/api/uploads", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{environment} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AWrongMemberTypeInAnUploadIsNamedByItsPointer()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsync("/api/uploads", new StringContent(
            """{"files":[{"fileName":"a.mp4","contentType":"video/mp4","size":1e20}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["/files/0/size"], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task EveryJsonBoundEndpointAnswers400InDevelopment()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false, extra: In("Development")).CreateClient();

        // Key creation binds its body with minimal-API JSON binding (uploads read theirs): it must fail as a 400 too.
        using var response = await client.PostAsync("/api/keys", new StringContent("[]", Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AChunkedBodyOverKestrelsLimitIsA413NotA500()
    {
        await using var host = await PipelineHost.CreateAsync();
        var port = FreePort();
        host.StartListening(port, engine: false);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        // No Content-Length, so the handler reads until Kestrel's own 1 MiB limit throws BadHttpRequestException (413).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/compositions")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string(' ', 3 * 1024 * 1024 / 2) + "{}")),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add(TestKeys.Header, TestKeys.Api);
        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Settings of another environment; appsettings.Testing.json (the webhook signing secret) no longer applies there.</summary>
    private static Dictionary<string, string?> In(string environment) => new()
    {
        ["environment"] = environment,
        ["Webhooks:SigningSecret"] = "test-only-signing-secret-0123456789",
    };
}
