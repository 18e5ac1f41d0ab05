using System.Text.Json.Nodes;
using FfmpegFunctions.Core.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Core.Samples;

/// <summary>
/// POST /api/samples: makes sure the sample media exist in the bucket and answers a ready composition
/// spec using them: two clips joined by a transition, a text overlay, and the v2 members a first look
/// should show (a picture-in-picture layer, a voice-over that ducks the music bed, burnt-in captions).
/// The client then POSTs that spec to /api/compositions like any other, so the sample goes through the
/// normal create path.
/// </summary>
public static class SamplesApi
{
    public static IHostApplicationBuilder AddSamples(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SampleMedia>();
        return builder;
    }

    public static RouteGroupBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/samples").WithTags("Samples");
        group.MapPost("/", CreateAsync).WithSummary("Generate (once) sample clips and return a ready composition spec using them");
        return group;
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CreateAsync(SampleMedia samples, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(Spec(await samples.EnsureAsync(cancellationToken)));
        }
        catch (Exception ex) when (ex is FfmpegException or FileNotFoundException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The sample clips could not be generated.", detail: ex.Message);
        }
    }

    /// <summary>The sample composition: small and fast (640x360, 3.5 s) so it renders in seconds. Keys in <see cref="SampleMedia.AllKeys"/> order.</summary>
    public static JsonObject Spec(IReadOnlyList<string> keys) => new()
    {
        ["title"] = "Sample: test patterns",
        ["output"] = new JsonObject
        {
            ["width"] = SampleMedia.Width, ["height"] = SampleMedia.Height, ["fps"] = SampleMedia.Fps, ["preset"] = "veryfast",
        },
        ["clips"] = new JsonArray(
            new JsonObject { ["source"] = keys[0], ["transition"] = new JsonObject { ["type"] = "wipeleft", ["duration"] = 0.5 } },
            new JsonObject { ["source"] = keys[1] }),
        ["overlays"] = new JsonArray(new JsonObject
        {
            ["type"] = "text", ["text"] = "Hello from FfmpegFunctions", ["position"] = "top", ["fontSize"] = 28, ["box"] = true,
        }),
        ["layers"] = new JsonArray(new JsonObject
        {
            ["source"] = keys[1], ["start"] = 0.5, ["duration"] = 1.5, ["position"] = "bottom-right", ["scale"] = 0.3, ["fadeIn"] = 0.3, ["fadeOut"] = 0.3,
        }),
        ["audio"] = new JsonObject { ["source"] = keys[3], ["loop"] = true, ["clipAudio"] = 0.3 },
        ["audioTracks"] = new JsonArray(new JsonObject { ["source"] = keys[2], ["role"] = "voice", ["start"] = 1 }),
        ["ducking"] = new JsonObject { ["depth"] = 12 },
        ["captions"] = new JsonObject { ["source"] = keys[4], ["fontSize"] = 24 },
    };
}
