using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Security;

public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// A token bucket per key in a Redis hash, refilled and spent in one Lua script (atomic, so instances
/// cannot both spend the last token) on Redis's own clock (instances' clocks may disagree). The hash
/// expires once it would be full again, so idle keys cost nothing.
/// </summary>
public sealed partial class RedisRateLimiter(IConnectionMultiplexer redis, IOptionsMonitor<RateLimitOptions> options, ILogger<RedisRateLimiter> logger)
{
    public const string KeyPrefix = "ffmpegfunctions:ratelimit:";

    private const string Script = """
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return { allowed, wait }
        """;

    public Task<RateLimitDecision> AcquireAsync(string keyName)
    {
        var settings = options.CurrentValue;
        return AcquireAsync(keyName, settings.PermitsPerSecond, settings.Burst);
    }

    /// <summary>The bucket of a client IP presenting a credential the database would have to check.</summary>
    public Task<RateLimitDecision> AcquireUnauthenticatedAsync(string clientIp)
    {
        var settings = options.CurrentValue;
        return AcquireAsync("ip:" + clientIp, settings.UnauthenticatedPermitsPerSecond, settings.UnauthenticatedBurst);
    }

    private async Task<RateLimitDecision> AcquireAsync(string keyName, double permitsPerSecond, int burst)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [new RedisKey(KeyPrefix + keyName)],
                [permitsPerSecond.ToString(CultureInfo.InvariantCulture), burst]))!;
            return new RateLimitDecision((long)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Fail open: the limit protects capacity, not correctness, and the key was already checked;
            // refusing every request while Redis is down would turn a Redis outage into an API outage.
            LogFailedOpen(logger, ex);
            return new RateLimitDecision(true, TimeSpan.Zero);
        }
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message = "Rate limiting is off for this request: Redis did not answer")]
    private static partial void LogFailedOpen(ILogger logger, Exception exception);
}
