using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>
/// Keeps callbacks off internal networks (SSRF): at creation the URL's host must not be, or resolve to, a
/// loopback, private, link-local, CGNAT, multicast or unspecified address; at delivery
/// <see cref="ConnectAsync"/> resolves again and connects only to an address that passes the same check,
/// so a DNS answer that changed after creation cannot steer a POST inside.
/// </summary>
public sealed class WebhookTargetGuard(IOptions<WebhookOptions> options)
{
    /// <returns>null when the URL may be called, else why not (for the 400 at <c>/callbackUrl</c>).</returns>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return "webhooks are disabled on this service.";
        if (options.Value.AllowPrivateTargets) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "must be an absolute http or https URL.";

        // IdnHost: the punycode form DNS sees; brackets stripped from IPv6 literals.
        var host = uri.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
            return IsPublic(literal) ? null : $"must not point at a {Describe(literal)} address ({literal}).";

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return $"the host '{host}' could not be resolved.";
        }
        if (addresses.Length == 0) return $"the host '{host}' could not be resolved.";
        var refused = addresses.FirstOrDefault(a => !IsPublic(a));
        return refused is null ? null : $"the host '{host}' resolves to a {Describe(refused)} address ({refused}); callbacks must go to public addresses.";
    }

    /// <summary>SocketsHttpHandler.ConnectCallback of the webhook client: connects only to checked addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(host, cancellationToken);
        var allowed = options.Value.AllowPrivateTargets ? addresses : [.. addresses.Where(IsPublic)];
        if (allowed.Length == 0)
            throw new HttpRequestException($"The callback host '{host}' does not resolve to a public address; refusing to connect.");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DnsTimeout);
        try
        {
            // WaitAsync as well: not every resolver honours cancellation.
            return await Dns.GetHostAddressesAsync(host, timeout.Token).WaitAsync(options.Value.DnsTimeout, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Resolving '{host}' took longer than {options.Value.DnsTimeout}.");
        }
    }

    /// <summary>True for addresses on the public internet; false for every range the guard refuses.</summary>
    public static bool IsPublic(IPAddress address) => Describe(address) is null;

    private static string? Describe(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                127 => "loopback",
                10 => "private",
                172 when b[1] is >= 16 and <= 31 => "private",
                192 when b[1] == 168 => "private",
                169 when b[1] == 254 => "link-local",
                100 when b[1] is >= 64 and <= 127 => "shared (CGNAT)",
                >= 224 and <= 239 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return "unspecified";
            if (address.Equals(IPAddress.IPv6Loopback)) return "loopback";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
            if (address.IsIPv6Multicast) return "multicast";
            var b = address.GetAddressBytes();
            if ((b[0] & 0xfe) == 0xfc) return "private";
            // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) forms carry an IPv4 address: judge that one.
            if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return Describe(new IPAddress(b.AsSpan(12)));
            if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
                return Describe(new IPAddress(b.AsSpan(12)));
            return null;
        }
        return "unsupported";
    }
}
