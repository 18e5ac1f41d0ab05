using System.Globalization;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FfmpegFunctions.Tests.Console;

[Collection(nameof(ConsoleCollection))]
public sealed class ConsoleTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task TheSampleRendersLiveAndItsVideoPlaysWithTheOutputDuration()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("table.list").WaitForAsync();
        var timing = await page.EvaluateAsync<JsonElement>("""
            () => { const n = performance.getEntriesByType('navigation')[0];
                    return { load: n.loadEventEnd, dom: n.domContentLoadedEventEnd, rendered: performance.now() }; }
            """);
        var load = timing.GetProperty("load").GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"console load: loadEventEnd {load:F0} ms, DOMContentLoaded {timing.GetProperty("dom").GetDouble():F0} ms, list rendered by {timing.GetProperty("rendered").GetDouble():F0} ms"));
        Assert.InRange(load, 1, 1000);

        // A marker that a reload would wipe out, and every value the progress bar takes from now on.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await page.Locator("[data-action=sample]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/c/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
        var id = Guid.Parse(new Uri(page.Url).Fragment["#/c/".Length..]);
        await page.Locator("#progress").WaitForAsync(); // the route loads its module after the URL changes
        await page.EvaluateAsync("""
            () => { const bar = document.getElementById('progress'); window.__progress = [Number(bar.dataset.value)];
                    new MutationObserver(() => window.__progress.push(Number(bar.dataset.value))).observe(bar, { attributes: true, attributeFilter: ['data-value'] }); }
            """);

        await page.Locator("#status [data-status=completed]").WaitForAsync(new() { Timeout = 90_000 });
        var seen = await page.EvaluateAsync<double[]>("() => window.__progress");
        output.WriteLine("progress values seen: " + string.Join(", ", seen.Select(v => v.ToString(CultureInfo.InvariantCulture))));
        Assert.Contains(seen, v => v > 0);
        Assert.Equal(100, seen[^1]);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        Assert.Equal("live", await page.Locator("#live-mode").GetAttributeAsync("data-mode"));

        var view = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/compositions/{id}")).RootElement;
        var expected = view.GetProperty("output").GetProperty("duration").GetDouble();
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('#output video'); return v && v.readyState >= 1 && isFinite(v.duration); }",
            null, new() { Timeout = 30_000 });
        var duration = await page.EvaluateAsync<double>("() => document.querySelector('#output video').duration");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"video duration {duration:F3} s, API output.duration {expected:F3} s"));
        Assert.Equal(expected, duration, 0.1);

        await page.Locator("#steps li strong", new() { HasText = "Render" }).WaitForAsync();
        Assert.Contains("outputs/" + id.ToString("D"), await page.Locator("#download").GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
        await ConsoleFixture.ScreenshotAsync(page, "completed");

        await page.GotoAsync("/#/");
        await page.Locator($"tr[data-id='{id:D}'] [data-status=completed]").WaitForAsync();
        await ConsoleFixture.ScreenshotAsync(page, "list");
    }

    [Fact]
    public async Task AFileUploadedFromTheFormBecomesTheClipSourceAndFormErrorsSitNextToTheirField()
    {
        using var media = new TestMedia();
        var clip = media.Video("upload me.mp4", seconds: 1, width: 160, height: 90);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/new");

        // Straight to the bucket through a presigned PUT (the bucket allows the console's origin).
        await page.Locator("[data-field='/clips/0/source'] input[type=file]").SetInputFilesAsync(clip);
        var source = page.Locator("input[data-pointer='/clips/0/source']");
        await page.WaitForFunctionAsync("() => document.querySelector(\"input[data-pointer='/clips/0/source']\").value.startsWith('inputs/')");
        Assert.Matches("^inputs/[0-9a-f-]{36}/upload_me\\.mp4$", await source.InputValueAsync());
        Assert.Equal("100", await page.Locator("[data-field='/clips/0/source'] .bar").GetAttributeAsync("data-value"));

        await page.Locator("input[data-pointer='/clips/0/trim/start']").FillAsync("1");
        await page.Locator("input[data-pointer='/clips/0/trim/end']").FillAsync("0.5");
        await page.Locator("input[data-pointer='/output/width']").FillAsync("321");
        await page.Locator("[data-action=submit]").ClickAsync();

        await page.Locator("[data-error-for='/clips/0/trim/end']:not(:empty)").WaitForAsync();
        Assert.NotEmpty(await page.Locator("[data-error-for='/output/width']").InnerTextAsync());
        Assert.EndsWith("#/new", page.Url, StringComparison.Ordinal); // nothing was created
    }

    [Fact]
    public async Task WithoutTheHubTheConsolePollsAndStillSeesTheRenderFinish()
    {
        var page = await fixture.NewPageAsync();
        // As if the hub were unreachable (a proxy without WebSockets, the bundle missing...).
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await page.GotoAsync("/");
        await page.Locator("#live-mode[data-mode=polling]").WaitForAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await page.Locator("[data-action=sample]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/c/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
        await page.Locator("#status [data-status=completed]").WaitForAsync(new() { Timeout = 90_000 });

        Assert.Equal("100", await page.Locator("#progress").GetAttributeAsync("data-value"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        await page.Locator("#output video").WaitForAsync();
    }

    [Fact]
    public async Task AnInvalidSpecShowsTheErrorAtItsPointerInJsonAndNextToTheFieldInTheForm()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/new");
        await page.Locator("form.spec-form [data-pointer='/clips/0/source']").WaitForAsync();
        await ConsoleFixture.ScreenshotAsync(page, "new-composition");

        await page.GetByRole(AriaRole.Tab, new() { Name = "JSON" }).ClickAsync();
        await page.Locator("#spec-json").FillAsync("""
            { "output": { "width": 320, "height": 180 },
              "clips": [ { "source": "inputs/samples/v2/testsrc2.mp4", "trim": { "start": 2, "end": 1 } } ] }
            """);
        await page.Locator("[data-action=submit]").ClickAsync();

        var error = page.Locator("#json-errors li[data-pointer='/clips/0/trim/end']");
        await error.WaitForAsync();
        Assert.Contains("/clips/0/trim/end", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#errors").IsVisibleAsync());

        // The same error lands next to the trim end field once the form is shown.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Form" }).ClickAsync();
        var fieldError = page.Locator("[data-error-for='/clips/0/trim/end']");
        Assert.NotEmpty(await fieldError.InnerTextAsync());
        Assert.Equal("2", await page.Locator("input[data-pointer='/clips/0/trim/start']").InputValueAsync());
        Assert.Contains("has-error", await page.Locator("[data-field='/clips/0/trim/end']").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFormKeepsAV2SampleAndItsJsonCarriesLayersVoiceAndCaptions()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/new");
        await page.Locator("form.spec-form [data-pointer='/clips/0/source']").WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Load the sample" }).ClickAsync();
        var note = page.Locator("#v2-members");
        await note.WaitForAsync();
        Assert.Contains("layers, captions, audioTracks", await note.InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Tab, new() { Name = "JSON" }).ClickAsync();
        var spec = JsonDocument.Parse(await page.Locator("#spec-json").InputValueAsync()).RootElement;
        Assert.Equal("voice", spec.GetProperty("audioTracks")[0].GetProperty("role").GetString());
        Assert.Equal(1, spec.GetProperty("layers").GetArrayLength());

        await page.Locator("[data-action=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/c/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
        var id = Guid.Parse(new Uri(page.Url).Fragment["#/c/".Length..]);
        var stored = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/compositions/{id}")).RootElement.GetProperty("spec");
        Assert.True(stored.TryGetProperty("captions", out _) && stored.TryGetProperty("layers", out _), "the v2 members reached the server");
    }
}
