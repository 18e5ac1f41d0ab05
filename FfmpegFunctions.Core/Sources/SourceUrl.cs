using FfmpegFunctions.Core.Networking;

namespace FfmpegFunctions.Core.Sources;

/// <summary>A source given as a URL: fetched by the render, never stored by us under the client's name.</summary>
public static class SourceUrl
{
    public const int MaxLength = 2048;

    /// <summary>Whether the source is meant as a URL (then it must be a valid one), rather than a stored key or upload id.</summary>
    public static bool IsUrl(string? source) =>
        source is not null
        && (source.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The shape rules that need no settings (for the spec validator); null when the URL is well formed.</summary>
    public static string? ShapeProblem(string source)
    {
        if (source.Length > MaxLength) return $"a source URL must be at most {MaxLength} characters.";
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IdnHost.Length == 0)
            return "must be an absolute https:// URL, an upload id or a relative object key.";
        if (uri.UserInfo.Length > 0) return "a source URL must not carry credentials (user:password@).";
        return null;
    }

    /// <summary>The rules that depend on this deployment's settings, without DNS (also applied to every redirect).</summary>
    public static string? SchemeOrLiteralProblem(Uri uri, SourceOptions options)
    {
        if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowHttp)
            return "http:// sources are not accepted here; use https:// (Sources:AllowHttp enables http for development).";
        if (uri.Scheme is not ("http" or "https")) return "only https:// sources are accepted.";
        return options.AllowPrivateTargets ? null : PublicTargets.CheckLiteral(uri);
    }

    /// <summary>At creation: the scheme and address rules, resolving the host once (the render connects only to public
    /// addresses again, so a DNS answer that changes later cannot steer the download inside).</summary>
    public static async Task<string?> CheckAsync(string source, SourceOptions options, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri)) return "must be an absolute https:// URL.";
        if (SchemeOrLiteralProblem(uri, options) is { } problem) return problem;
        return await PublicTargets.CheckAsync(uri, options.AllowPrivateTargets, options.DnsTimeout,
            "sources must be on public addresses (Sources:AllowPrivateTargets allows others)", cancellationToken);
    }
}
