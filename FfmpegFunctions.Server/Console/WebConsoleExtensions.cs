using Microsoft.Net.Http.Headers;

namespace FfmpegFunctions.Server.Console;

public static class WebConsoleExtensions
{
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
        return app;
    }
}
