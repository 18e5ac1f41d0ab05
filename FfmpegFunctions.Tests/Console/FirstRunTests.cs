using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using FfmpegFunctions.Server.Console;
using FfmpegFunctions.Tests.Support;
using Microsoft.Playwright;

namespace FfmpegFunctions.Tests.Console;

/// <summary>What a first-time user meets: a console that has never been opened (nothing in sessionStorage).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FirstRunTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task ANeverOpenedConsoleShowsOneInstructionAndNoErrorThenListsOnceTheKeyIsPasted()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        var instruction = page.Locator("#key-instruction");
        await instruction.WaitForAsync();
        Assert.Contains("API key field", await instruction.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".alert-error").CountAsync());
        var placeholder = await page.Locator("#apikey").GetAttributeAsync("placeholder") ?? "";
        Assert.DoesNotContain("not needed", placeholder, StringComparison.OrdinalIgnoreCase);
        await ConsoleFixture.ScreenshotAsync(page, "first-run-instruction");

        await page.Locator("#apikey").FillAsync(TestKeys.Api);
        await page.Locator("#apikey").DispatchEventAsync("change");
        await page.Locator("table.list").WaitForAsync();
        Assert.Equal(0, await page.Locator("#key-instruction").CountAsync());
        Assert.Equal(0, await page.Locator(".alert-error").CountAsync());
    }

    [Fact]
    public async Task InDevelopmentANeverOpenedConsoleIsHandedTheBootstrapKeyAndListsAtOnce()
    {
        await using var host = await PipelineHost.CreateAsync();
        var port = FreePort();
        host.StartListening(port, engine: false, Development);
        var baseAddress = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        await Eventually.BecomesAsync(async () => (await http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the Development Server to be ready");

        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = baseAddress });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.Locator("table.list").WaitForAsync();
        await page.Locator(".empty").WaitForAsync(); // the list call answered (an empty list on a fresh database)
        Assert.Equal(0, await page.Locator(".alert").CountAsync());
        Assert.Equal(TestKeys.Api, await page.Locator("#apikey").InputValueAsync());
        await ConsoleFixture.ScreenshotAsync(page, "first-run-development");
    }

    [Fact]
    public async Task TheBootstrapKeyIsHandedOutInDevelopmentOnly()
    {
        await using var testing = new ServerFactory();
        using var testingClient = testing.CreateClientWithKey(null);
        var outside = await testingClient.GetFromJsonAsync<ConsoleSettings>(WebConsoleExtensions.SettingsPath);
        Assert.Equal(new ConsoleSettings(KeyRequired: true, DevelopmentKey: null), outside);

        await using var development = new ServerFactory(Development);
        using var developmentClient = development.CreateClientWithKey(null);
        using var response = await developmentClient.GetAsync(WebConsoleExtensions.SettingsPath);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(new ConsoleSettings(KeyRequired: true, DevelopmentKey: TestKeys.Api), await response.Content.ReadFromJsonAsync<ConsoleSettings>());
    }

    // appsettings.Testing.json (with the test signing secret) is not read in Development.
    private static readonly Dictionary<string, string?> Development = new()
    {
        ["environment"] = "Development",
        ["Webhooks:SigningSecret"] = "test-only-signing-secret-0123456789",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
