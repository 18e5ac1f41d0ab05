using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Tests.Compositions;
using FfmpegFunctions.Tests.Pipeline;
using FfmpegFunctions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.DryRuns;

/// <summary>
/// Each example in docs/composition-spec.md goes to a dry run on the Server against media stored under the names it uses:
/// what users copy must be accepted, probe and plan, not only parse, and last as long as the docs say.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed partial class DocumentedExamplesTests
{
    /// <summary>Lengths the docs state in words after an example (example index: seconds).</summary>
    private static readonly Dictionary<int, double> StatedLengths = new() { [1] = 16.25, [3] = 11.5 };

    [Fact]
    public async Task EveryDocumentedExamplePassesADryRunAgainstMediaOfTheNamesItUses()
    {
        var examples = JsonBlock().Matches(File.ReadAllText(RepoFiles.Path("docs", "composition-spec.md"))).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(examples);
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        using var media = new TestMedia();
        // Small pictures, long enough for every documented trim (the longest ends at 101 s); only probed, never rendered.
        var video = media.Video("long.mp4", seconds: 120, width: 64, height: 36, fps: 5);
        var image = media.Image("still.png", width: 64, height: 36);
        var audio = media.Audio("bed.m4a", seconds: 30); // AAC under an .mp3 name: probing goes by content
        var captions = Path.Combine(media.Directory, "talk.srt");
        await File.WriteAllTextAsync(captions, "1\n00:00:00,500 --> 00:00:03,000\nHello\n\n2\n00:00:03,500 --> 00:00:06,000\nworld\n");

        var failures = new List<string>();
        for (var i = 0; i < examples.Count; i++)
        {
            var spec = JsonNode.Parse(examples[i])!;
            foreach (var source in Sources(spec).Distinct())
            {
                var key = Guid.TryParse(source, out var uploadId) ? StorageKeys.Input(uploadId, "upload.mp4") : source;
                var (path, type) = Path.GetExtension(key) switch
                {
                    ".jpg" or ".png" => (image, "image/png"),
                    ".mp3" => (audio, "audio/mpeg"),
                    ".srt" => (captions, "text/plain"),
                    _ => (video, "video/mp4"),
                };
                await objects.UploadFileAsync(key, path, type, CancellationToken.None);
            }

            using var response = await client.PostAsync("/api/compositions?dryRun=true",
                new StringContent(examples[i], System.Text.Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"example {i + 1}: {(int)response.StatusCode} {body}");
                continue;
            }
            var duration = JsonDocument.Parse(body).RootElement.GetProperty("duration").GetDouble();
            if (StatedLengths.TryGetValue(i, out var stated) && Math.Abs(duration - stated) > 0.05)
                failures.Add($"example {i + 1}: the docs say {stated} s, the plan says {duration} s");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
    }

    [Fact]
    public async Task TheDocumentedTemplateRendersAsADryRunWithTheDocumentedValues()
    {
        var blocks = JsonBlock().Matches(File.ReadAllText(RepoFiles.Path("docs", "templates.md"))).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, blocks.Count); // the template, then the render request
        await using var host = await PipelineHost.CreateAsync();
        var instance = host.Start(engine: false);
        using var client = instance.CreateClient();
        var objects = instance.Services.GetRequiredService<IObjectStore>();
        using var media = new TestMedia();
        var video = media.Video("clip.mp4", seconds: 15, width: 64, height: 36, fps: 5);
        // The values that are sources (the template puts them in "source" members) name object keys.
        foreach (var key in JsonNode.Parse(blocks[1])!["values"]!.AsObject().Select(v => v.Value!.ToString()).Where(v => v.StartsWith("inputs/", StringComparison.Ordinal)))
            await objects.UploadFileAsync(key, video, "video/mp4", CancellationToken.None);

        using var created = await client.PostAsync("/api/templates", new StringContent(blocks[0], System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        using var render = await client.PostAsync($"/api/templates/{id}/render?dryRun=true", new StringContent(blocks[1], System.Text.Encoding.UTF8, "application/json"));
        var body = await render.Content.ReadAsStringAsync();

        Assert.True(render.StatusCode == HttpStatusCode.OK, body);
        // intro 15 s + main trimmed to 12.5 s, with a 0.5 s fade between them.
        Assert.Equal(27, JsonDocument.Parse(body).RootElement.GetProperty("duration").GetDouble(), 0.1);
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM compositions"));
        // A dry run renders nothing, so the version can still be changed in place.
        Assert.Equal(0, await host.Database.CountAsync("SELECT count(*) FROM template_versions WHERE used_at IS NOT NULL"));
    }

    private static IEnumerable<string> Sources(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "source" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : Sources(p.Value)),
        JsonArray array => array.SelectMany(Sources),
        _ => [],
    };

    [GeneratedRegex(@"^```json\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
