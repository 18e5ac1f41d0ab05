using FfmpegFunctions.Core.Networking;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>
/// Keeps callbacks off internal networks (SSRF) with <see cref="PublicTargets"/>' rules: checked at creation, and at
/// delivery <see cref="ConnectAsync"/> resolves again and connects only to an address that passes the same check.
/// </summary>
public sealed class WebhookTargetGuard(IOptions<WebhookOptions> options)
{
    /// <returns>null when the URL may be called, else why not (for the 400 at <c>/callbackUrl</c>).</returns>
    public Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return Task.FromResult<string?>("webhooks are disabled on this service.");
        if (options.Value.AllowPrivateTargets) return Task.FromResult<string?>(null);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return Task.FromResult<string?>("must be an absolute http or https URL.");
        return PublicTargets.CheckAsync(uri, allowPrivate: false, options.Value.DnsTimeout, "callbacks must go to public addresses", cancellationToken);
    }

    /// <summary>SocketsHttpHandler.ConnectCallback of the webhook client: connects only to checked addresses.</summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        PublicTargets.ConnectAsync(context, options.Value.AllowPrivateTargets, options.Value.DnsTimeout, "callback", cancellationToken);

    /// <summary>True for addresses on the public internet; false for every range the guard refuses.</summary>
    public static bool IsPublic(System.Net.IPAddress address) => PublicTargets.IsPublic(address);
}
