using System.Net;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FfmpegFunctions.Tests.Security;

public sealed class UnauthenticatedRateLimitTests
{
    [Fact]
    public async Task GuessingKeysIsLimitedPerClientAddressBeforeAnyLookupWhileKnownKeysGoOn()
    {
        await using var host = await PipelineHost.CreateAsync();
        // Its own client address, so no other test shares the bucket.
        var address = IPAddress.Parse($"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        var api = host.Start(engine: false,
            extra: new Dictionary<string, string?> { ["RateLimit:UnauthenticatedBurst"] = "3", ["RateLimit:UnauthenticatedPermitsPerSecond"] = "0.01" },
            services: s => s.AddSingleton<IStartupFilter>(new ClientAddress(address)));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guess = api.CreateClientWithKey(ApiKeyHash.NewKey());
            answers.Add((await guess.GetAsync("/api/compositions")).StatusCode);
        }
        using var known = api.CreateClient(); // the bootstrap key: checked without the database

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.OK, (await known.GetAsync("/api/compositions")).StatusCode);
    }

    private sealed class ClientAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
