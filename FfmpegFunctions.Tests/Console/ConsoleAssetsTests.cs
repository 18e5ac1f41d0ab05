using System.Net;
using System.Text.RegularExpressions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Samples;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Console;

/// <summary>What the console relies on, checked without a browser.</summary>
public sealed partial class ConsoleAssetsTests
{
    [Fact]
    public async Task TheConsoleIsServedAtTheRootAndRevalidatedOnEveryLoad()
    {
        await using var factory = new ServerFactory();
        using var client = factory.CreateClient();

        using var index = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.True(index.Headers.CacheControl?.NoCache);
        Assert.NotNull(index.Headers.ETag);
        Assert.Contains("js/app.js", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var revalidated = new HttpRequestMessage(HttpMethod.Get, "/");
        revalidated.Headers.IfNoneMatch.Add(index.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(revalidated)).StatusCode);

        // Vendored from npm by the Server's build (ClientLib); the console polls without it, but the build here has npm.
        using var signalr = await client.GetAsync("/lib/signalr.min.js");
        Assert.Equal(HttpStatusCode.OK, signalr.StatusCode);
    }

    [Fact]
    public void TheConsoleOffersExactlyTheTransitionsTheServerAccepts()
    {
        var script = File.ReadAllText(Path.Combine(StackSettings.RepositoryRoot, "FfmpegFunctions.Server", "wwwroot", "js", "transitions.js"));
        var names = QuotedName().Matches(script).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(TransitionTypes.Supported.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void TheSampleSpecIsAValidCompositionOfTheSampleClips()
    {
        var keys = SampleMedia.AllKeys();

        var parsed = SpecParser.Parse(SamplesApi.Spec(keys).ToJsonString());

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.All(keys, k => Assert.True(SourceKey.IsValid(k)));
        Assert.All(keys, k => Assert.StartsWith($"inputs/samples/{SampleMedia.Version}/", k, StringComparison.Ordinal));
        Assert.NotNull(parsed.Spec.Clips[0].Transition);
        // The sample shows spec v2: a layer, a voice-over ducking the music, captions.
        Assert.Single(parsed.Spec.Layers);
        Assert.Equal(AudioRole.Voice, Assert.Single(parsed.Spec.AudioTracks).Role);
        Assert.NotNull(parsed.Spec.Audio);
        Assert.NotNull(parsed.Spec.Captions);
    }

    [GeneratedRegex("'([a-z]+)'")]
    private static partial Regex QuotedName();
}
