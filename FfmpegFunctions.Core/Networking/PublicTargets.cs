using System.Net;
using System.Net.Sockets;

namespace FfmpegFunctions.Core.Networking;

/// <summary>
/// The SSRF rules every outgoing request to a client-named URL follows (webhook callbacks, sources by URL): the host
/// must not be, or resolve to, a loopback, private, link-local (cloud metadata), CGNAT, multicast or unspecified
/// address unless <c>allowPrivate</c>; <see cref="ConnectAsync"/> resolves once and connects only to an address that
/// passed, so a DNS answer that changed since a check cannot steer a request inside.
/// </summary>
public static class PublicTargets
{
    /// <returns>null when the host may be called, else why not; <paramref name="purpose"/> ends the refusal
    /// ("callbacks must go to public addresses").</returns>
    public static async Task<string?> CheckAsync(Uri uri, bool allowPrivate, TimeSpan dnsTimeout, string purpose, CancellationToken cancellationToken)
    {
        if (allowPrivate) return null;
        // IdnHost: the punycode form DNS sees; brackets stripped from IPv6 literals.
        var host = uri.IdnHost;
        if (CheckLiteral(uri) is { } literalRefusal) return literalRefusal;
        if (IPAddress.TryParse(host, out _)) return null;

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, dnsTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return $"the host '{host}' could not be resolved.";
        }
        if (addresses.Length == 0) return $"the host '{host}' could not be resolved.";
        var refused = addresses.FirstOrDefault(a => !IsPublic(a));
        return refused is null ? null : $"the host '{host}' resolves to a {Describe(refused)} address ({refused}); {purpose}.";
    }

    /// <summary>The check that needs no DNS: an IP literal host that is not public. Null for names and public literals.</summary>
    public static string? CheckLiteral(Uri uri) =>
        IPAddress.TryParse(uri.IdnHost, out var literal) && !IsPublic(literal)
            ? $"must not point at a {Describe(literal)} address ({literal})."
            : null;

    /// <summary>A SocketsHttpHandler.ConnectCallback body: resolves once and connects only to checked addresses.</summary>
    public static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, bool allowPrivate, TimeSpan dnsTimeout, string what, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(host, dnsTimeout, cancellationToken);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(IsPublic)];
        if (allowed.Length == 0)
            throw new RefusedTargetException($"The {what} host '{host}' does not resolve to a public address; refusing to connect.");

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

    private static async Task<IPAddress[]> ResolveAsync(string host, TimeSpan dnsTimeout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(dnsTimeout);
        try
        {
            // WaitAsync as well: not every resolver honours cancellation.
            return await Dns.GetHostAddressesAsync(host, timeout.Token).WaitAsync(dnsTimeout, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Resolving '{host}' took longer than {dnsTimeout}.");
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

/// <summary>A connect refused by <see cref="PublicTargets"/>: no retry can fix it. An HttpRequestException, so callers
/// that handle network failures handle this one too.</summary>
public sealed class RefusedTargetException(string message) : HttpRequestException(message);
