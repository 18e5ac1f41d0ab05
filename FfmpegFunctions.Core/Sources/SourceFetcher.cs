using System.Net;
using FfmpegFunctions.Core.Networking;
using FfmpegFunctions.Core.Workflow;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Sources;

/// <summary>
/// Downloads a URL source to a file with the SSRF rules of <see cref="PublicTargets"/>: every hop's scheme and literal
/// address checked here, every connect made only to public addresses (the client's ConnectCallback), redirects
/// followed by hand (at most <see cref="SourceOptions.MaxRedirects"/>) so each target is checked, a connect and a total
/// timeout, and the size limit enforced on Content-Length and again on the bytes as they arrive.
/// Every error starts with the member's JSON pointer.
/// </summary>
public sealed class SourceFetcher(IHttpClientFactory clients, IOptions<SourceOptions> options)
{
    /// <summary>The HttpClient name downloads go through (checked connects, no redirects, no proxy, no cookies).</summary>
    public const string ClientName = "sources";

    /// <returns>The content type the server declared (application/octet-stream when none).</returns>
    /// <exception cref="PermanentStepException">refused, answered 4xx, or too large.</exception>
    /// <exception cref="SourceFetchException">a failure another attempt may not meet (5xx, network, timeout).</exception>
    public async Task<string> FetchAsync(string url, string pointer, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(settings.DownloadTimeout);
        var client = clients.CreateClient(ClientName);
        var uri = new Uri(url);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (SourceUrl.SchemeOrLiteralProblem(uri, settings) is { } refused)
                    throw Permanent(pointer, redirects == 0 ? $"{url}: {refused}" : $"{url} redirected to {uri}, which is refused: {refused}");

                using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, total.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (redirects == SourceOptions.MaxRedirects)
                        throw Permanent(pointer, $"{url} redirected more than {SourceOptions.MaxRedirects} times.");
                    uri = new Uri(uri, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var answer = $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd() + ".";
                    // A 4xx stays a 4xx on retry, except a timeout or a rate limit.
                    var status = (int)response.StatusCode;
                    if (status is >= 400 and < 500 && status is not (408 or 429)) throw Permanent(pointer, answer);
                    throw new SourceFetchException($"{pointer}: {answer}");
                }
                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                    throw Permanent(pointer, $"{url} is {length} bytes, more than the {maxBytes} allowed per input.");

                await using (var body = await response.Content.ReadAsStreamAsync(total.Token))
                    await CopyLimitedAsync(body, path, url, pointer, maxBytes, total.Token);
                return response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceFetchException($"{pointer}: {url} did not finish downloading within {settings.DownloadTimeout}.");
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refusal)
        {
            throw Permanent(pointer, $"{url}: {refusal.Message}");
        }
        catch (HttpRequestException ex)
        {
            throw new SourceFetchException($"{pointer}: {url} could not be fetched: {ex.Message}", ex);
        }
    }

    /// <summary>Writes beside the target and moves it into place, so a partial download is never taken for a whole one.</summary>
    private static async Task CopyLimitedAsync(Stream body, string path, string url, string pointer, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".part";
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                long written = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    // Content-Length can be absent or false: the bytes themselves are what is limited.
                    if (written > maxBytes) throw Permanent(pointer, $"{url} sent more than the {maxBytes} bytes allowed per input.");
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static RefusedTargetException? Refusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is RefusedTargetException refused) return refused;
        return null;
    }

    private static PermanentStepException Permanent(string pointer, string message) => new($"{pointer}: {message}");
}

/// <summary>A URL source failed in a way another attempt may not meet (5xx, a reset, a timeout); retried by the step host.</summary>
public sealed class SourceFetchException(string message, Exception? inner = null) : Exception(message, inner);
