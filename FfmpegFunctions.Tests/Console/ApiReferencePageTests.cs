using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using FfmpegFunctions.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Console;

[Collection(nameof(ConsoleCollection))]
public sealed class ApiReferencePageTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task TheReferenceRendersWithoutLeavingTheServerTakesTheKeyAndTryItListsCompositions()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        // Offline: every request to another origin (a CDN, fonts, telemetry, an AI service) is refused and recorded.
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var elsewhere = new ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).GetLeftPart(UriPartial.Authority) == origin) await route.ContinueAsync();
            else
            {
                elsewhere.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/docs/");
        await page.GetByRole(AriaRole.Heading, new() { Name = "FfmpegFunctions API" }).WaitForAsync();
        await page.GetByText("Your first render in five steps").WaitForAsync();
        await page.GetByLabel("Value").FillAsync(TestKeys.Api); // the X-API-Key scheme is the preferred one
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Compositions" }).ClickAsync();
        await page.GetByText("List compositions, newest first (keyset paging)").First.ClickAsync();

        var text = await page.InnerTextAsync("body");
        foreach (var vendor in new[] { "Ask AI", "Deploy .NET", "Generate SDK", "Developer Tools" })
            Assert.DoesNotContain(vendor, text, StringComparison.Ordinal);

        var sent = page.WaitForResponseAsync(r => r.Request.Method == "GET" && new Uri(r.Url).AbsolutePath == "/api/compositions");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"Test Request\s*\(get \/api\/compositions\)") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send") }).First.ClickAsync();
        var response = await sent;
        output.WriteLine($"try it: {response.Status} {response.Url}");
        Assert.Equal(200, response.Status);
        Assert.Equal(TestKeys.Api, await response.Request.HeaderValueAsync("x-api-key"));
        // The response panel's status (a link explaining the code; the operation's documented responses are buttons).
        await page.Locator("a", new() { HasTextString = "200 OK" }).WaitForAsync();
        await ConsoleFixture.ScreenshotAsync(page, "api-reference-try-it");

        Assert.True(elsewhere.IsEmpty, "requests left the Server: " + string.Join(", ", elsewhere));
    }
}
