using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Webhooks;

/// <summary>
/// callbackUrl checks at creation. Nothing here may send traffic anywhere: refused targets are refused before
/// any connection, and the accepted ones are never delivered to (no engine runs, so no event is produced).
/// </summary>
public sealed class CallbackTargetTests
{
    private static object SpecWith(string callbackUrl) => new
    {
        clips = new object[] { new { source = "inputs/x/clip.mp4" } },
        callbackUrl,
    };

    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "loopback")]
    [InlineData("http://10.0.0.1/hook", "private")]
    [InlineData("https://192.168.1.20/hook", "private")]
    [InlineData("http://172.20.0.5/hook", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://100.64.0.1/hook", "CGNAT")]
    [InlineData("http://0.0.0.0/hook", "unspecified")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://[fd00::1]/hook", "private")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private")]
    [InlineData("http://localhost:5080/hook", "loopback")]
    public async Task ANonPublicCallbackTargetIsRejectedAtCreation(string url, string reason)
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false).CreateClient();

        using var response = await client.PostAsJsonAsync("/api/compositions", SpecWith(url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("/callbackUrl").EnumerateArray()).GetString();
        Assert.Contains(reason, message);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task APrivateCallbackTargetIsAcceptedWhenConfigurationAllowsIt()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false, extra: new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" }).CreateClient();

        var id = await PipelineHost.CreateAsync(client, SpecWith("http://127.0.0.1:9/hook"));

        Assert.Equal(1, await host.Database.CountAsync($"SELECT count(*) FROM compositions WHERE id = '{id}' AND config->>'callbackUrl' = 'http://127.0.0.1:9/hook'"));
    }

    [Fact]
    public async Task ACallbackUrlIsRefusedWhenWebhooksAreDisabled()
    {
        await using var host = await PipelineHost.CreateAsync();
        using var client = host.Start(engine: false, extra: new Dictionary<string, string?> { ["Webhooks:Enabled"] = "false", ["Webhooks:SigningSecret"] = "" }).CreateClient();

        using var response = await client.PostAsJsonAsync("/api/compositions", SpecWith("https://93.184.215.14/hook"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("disabled", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/relative/hook")]
    [InlineData("not a url")]
    [InlineData("https://user:pass@example.com/hook")]
    public void AMalformedCallbackUrlIsAValidationErrorAtItsPointer(string url)
    {
        var result = SpecParser.Parse(JsonSerializer.Serialize(SpecWith(url)));

        Assert.False(result.IsValid);
        Assert.Equal("/callbackUrl", Assert.Single(result.Errors).Pointer);
    }

    [Fact]
    public void ATooLongCallbackUrlIsAValidationError()
    {
        var result = SpecParser.Parse(JsonSerializer.Serialize(SpecWith("https://example.com/" + new string('a', 2048))));

        Assert.Contains(result.Errors, e => e.Pointer == "/callbackUrl" && e.Message.Contains("2048", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("93.184.215.14", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("fc00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    public void OnlyPublicAddressesPassTheGuard(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargetGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void RetryDelaysDoubleUpToTheirCap()
    {
        var options = new WebhookOptions { RetryBaseDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(15) };

        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(20), options.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(640), options.RetryDelay(7));
        Assert.Equal(TimeSpan.FromMinutes(15), options.RetryDelay(8));
        Assert.Equal(TimeSpan.FromMinutes(15), options.RetryDelay(500));
    }

    [Fact]
    public void ASignatureVerifiesOnlyForItsTimestampAndBody()
    {
        var signature = WebhookSignature.Sign("secret-0123456789", 1700000000, """{"a":1}""");

        Assert.Matches("^v1=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify("secret-0123456789", 1700000000, """{"a":1}""", signature));
        Assert.False(WebhookSignature.Verify("secret-0123456789", 1700000001, """{"a":1}""", signature));
        Assert.False(WebhookSignature.Verify("secret-0123456789", 1700000000, """{"a":2}""", signature));
    }
}
