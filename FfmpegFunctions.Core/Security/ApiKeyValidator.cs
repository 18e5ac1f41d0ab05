using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Checks a presented key. Valid database keys are cached for Auth:CacheDuration (one UPDATE per key per
/// instance per period, not per request); revoking on this instance drops the entry at once, other instances
/// stop accepting it when their entry expires. Unknown keys are not cached, so the cache only ever holds real keys.
/// </summary>
public sealed class ApiKeyValidator(ApiKeyStore store, IOptionsMonitor<AuthOptions> options, TimeProvider clock)
{
    public const int MaxKeyLength = 256;
    public const string BootstrapName = "bootstrap";

    private readonly ConcurrentDictionary<string, CachedKey> cache = new(StringComparer.Ordinal);

    public async Task<ApiKeyIdentity?> ValidateAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > MaxKeyLength) return null;
        var hash = ApiKeyHash.Compute(key);
        var settings = options.CurrentValue;
        if (settings.InternalKeyHash is { Length: > 0 } internalHash && ApiKeyHash.Matches(hash, internalHash)) return ApiKeyIdentity.Internal;
        if (settings.BootstrapKey is { Length: > 0 } bootstrap && ApiKeyHash.Matches(hash, ApiKeyHash.Compute(bootstrap)))
            return new ApiKeyIdentity(BootstrapName, false, settings.BootstrapTenant, Role.Admin);

        var now = clock.GetUtcNow();
        if (cache.TryGetValue(hash, out var cached) && cached.ExpiresAt > now) return cached.Identity;
        var identity = await store.UseAsync(hash, cancellationToken);
        if (identity is null)
        {
            cache.TryRemove(hash, out _);
            return null;
        }
        cache[hash] = new CachedKey(identity, now + settings.CacheDuration);
        return identity;
    }

    /// <summary>Whether checking this key would ask the database (not the internal or bootstrap key, not a cached
    /// valid key): such requests are rate-limited per client IP before the lookup.</summary>
    public bool NeedsLookup(string key)
    {
        if (key.Length is 0 or > MaxKeyLength) return false; // refused without any lookup
        var hash = ApiKeyHash.Compute(key);
        var settings = options.CurrentValue;
        if (settings.InternalKeyHash is { Length: > 0 } internalHash && ApiKeyHash.Matches(hash, internalHash)) return false;
        if (settings.BootstrapKey is { Length: > 0 } bootstrap && ApiKeyHash.Matches(hash, ApiKeyHash.Compute(bootstrap))) return false;
        return !(cache.TryGetValue(hash, out var cached) && cached.ExpiresAt > clock.GetUtcNow());
    }

    /// <summary>Forgets a revoked key on this instance at once.</summary>
    public void Forget(string name)
    {
        foreach (var (hash, entry) in cache)
            if (entry.Identity.Name == name) cache.TryRemove(hash, out _);
    }

    private sealed record CachedKey(ApiKeyIdentity Identity, DateTimeOffset ExpiresAt);
}
