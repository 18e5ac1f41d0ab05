using System.Net;
using System.Net.Sockets;
using FfmpegFunctions.Tests.Support;
using Microsoft.Playwright;

namespace FfmpegFunctions.Tests.Console;

/// <summary>
/// A real Server listening on a loopback port (the in-memory TestServer is unreachable for a browser),
/// on a private database with the render engine on, and one headless Debian chromium driven by Playwright.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private PipelineHost? host;
    private IPlaywright? playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; } = new();

    public static string ScreenshotDirectory { get; } = Path.Combine(StackSettings.RepositoryRoot, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: ./test.sh installs the Debian chromium package (never Playwright's own browsers).");
        host = await PipelineHost.CreateAsync();
        var port = FreePort();
        host.StartListening(port);
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Api.BaseAddress = BaseAddress;
        Api.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Api);
        await Eventually.BecomesAsync(async () => (await Api.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the Server to be ready");

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        // The API requires a key: the console keeps the one a user types in sessionStorage.
        await context.AddInitScriptAsync($"sessionStorage.setItem('ffmpegfunctions.apiKey', '{TestKeys.Api}');");
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        Api.Dispose();
        if (host is not null) await host.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(nameof(ConsoleCollection))]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>;
