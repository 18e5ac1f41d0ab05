using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FfmpegFunctions.Server.Console;

public static class WebConsoleExtensions
{
    public const string SettingsPath = "/console/settings.json";

    /// <summary>
    /// Serves the web console from wwwroot at "/". Its files are not fingerprinted, so the browser keeps
    /// them but revalidates every time (no-cache + ETag: a 304 costs one loopback round trip) and a
    /// deploy is seen at the next load. Runs before any API policy: the console itself is public; the
    /// API calls it makes carry the user's key.
    /// </summary>
    public static WebApplication UseWebConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        app.MapGet(SettingsPath, GetSettings).ExcludeFromDescription();
        return app;
    }

    /// <summary>What the console needs before its first API call: whether a key is needed and, in Development only, the bootstrap key.</summary>
    /// <remarks>
    /// Handing out a key on an open path is acceptable only for Development: there Auth:BootstrapKey is the
    /// local key ./run.sh prints, and the Server listens on loopback. It is never sent in any other
    /// environment (Production refuses a bootstrap key altogether).
    /// </remarks>
    internal static Ok<ConsoleSettings> GetSettings(IHostEnvironment environment, IOptions<AuthOptions> auth, HttpContext context)
    {
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        var settings = auth.Value;
        var developmentKey = settings.Enabled && environment.IsDevelopment() && settings.BootstrapKey is { Length: > 0 } key ? key : null;
        return TypedResults.Ok(new ConsoleSettings(settings.Enabled, developmentKey));
    }
}

/// <param name="KeyRequired">false when Auth:Enabled is off (the API is open).</param>
/// <param name="DevelopmentKey">Auth:BootstrapKey in the Development environment; otherwise null.</param>
public sealed record ConsoleSettings(bool KeyRequired, string? DevelopmentKey);
