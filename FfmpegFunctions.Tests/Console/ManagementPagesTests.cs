using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Console;

/// <summary>The media and templates pages, driven in a browser as a user would.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ManagementPagesTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task AFileUploadedOnTheMediaPageIsCheckedListedPickedAsASourceAndDeleted()
    {
        using var media = new TestMedia();
        var clip = media.Video("media page.mp4", seconds: 1, width: 160, height: 90);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/media");
        await page.Locator("#media-list").WaitForAsync();

        await page.Locator("[data-action=file]").SetInputFilesAsync(clip);
        var row = page.Locator("#media-list tr", new() { HasText = "media_page.mp4" });
        await row.Locator("[data-status=confirmed]").WaitForAsync(new() { Timeout = 30_000 });
        var id = Guid.Parse((await row.GetAttributeAsync("data-id"))!);
        var key = (await row.Locator(".mono").InnerTextAsync()).Trim();
        await ConsoleFixture.ScreenshotAsync(page, "media");

        await row.Locator("[data-action=use]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/new$"));
        var source = page.Locator("input[data-pointer='/clips/0/source']");
        await source.WaitForAsync();
        Assert.Equal(key, await source.InputValueAsync());

        await page.GotoAsync("/#/media");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator($"tr[data-id='{id:D}'] [data-action=delete]").ClickAsync();
        await page.Locator($"tr[data-id='{id:D}']").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        using var gone = await fixture.Api.GetAsync($"/api/uploads/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ATemplateRendersFromItsPageAndABadValueIsShownAtItsField()
    {
        using var created = await fixture.Api.PostAsJsonAsync("/api/templates", new
        {
            name = "console template",
            spec = new
            {
                title = "{{title}}",
                output = new { width = "{{width}}", height = 90, fps = 15, preset = "ultrafast" },
                clips = new object[] { new { source = "inputs/samples/v2/testsrc2.mp4", trim = new { start = 0, end = 1 } } },
            },
        });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/templates");
        await page.Locator($"tr[data-id='{id:D}'] [data-action=render]").ClickAsync();

        await page.Locator("input[data-placeholder=width]").FillAsync("161");
        await page.Locator("input[data-placeholder=title]").FillAsync("From the console");
        await page.Locator("[data-action=submit]").ClickAsync();
        var error = page.Locator("input[data-placeholder=width] + .field-error");
        await error.WaitForAsync();
        Assert.Contains("/output/width", await error.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleFixture.ScreenshotAsync(page, "template-render");

        await page.Locator("input[data-placeholder=width]").FillAsync("160");
        await page.Locator("[data-action=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/c/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
        var composition = Guid.Parse(new Uri(page.Url).Fragment["#/c/".Length..]);
        var spec = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/compositions/{composition}")).RootElement.GetProperty("spec");
        Assert.Equal(160, spec.GetProperty("output").GetProperty("width").GetInt32());
        Assert.Equal("From the console", spec.GetProperty("title").GetString());

        await page.GotoAsync("/#/templates");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator($"tr[data-id='{id:D}'] [data-action=delete]").ClickAsync();
        await page.Locator($"tr[data-id='{id:D}']").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
    }
}
