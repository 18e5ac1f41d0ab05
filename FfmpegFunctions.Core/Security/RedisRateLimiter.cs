using System.Globalization;
using Microsoft.Extensions.Logging;
using FfmpegFunctions.Core.Progress;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Security;

public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// A token bucket per key in a Redis hash, refilled and spent in one Lua script (atomic, so instances
/// cannot both spend the last token) on Redis's own clock (instances' clocks may disagree). The hash
/// expires once it would be full again, so idle keys cost nothing. Calls go through the process's
/// <see cref="RedisCircuit"/>: while Redis is gone every request is let through at once.
/// </summary>
public sealed partial class RedisRateLimiter(
    IConnectionMultiplexer redis, RedisCircuit circuit, IOptionsMonitor<RateLimitOptions> options, ILogger<RedisRateLimiter> logger)
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

    public Task<RateLimitDecision> AcquireAsync(string keyName, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        return AcquireAsync(keyName, settings.PermitsPerSecond, settings.Burst, cancellationToken);
    }

    /// <summary>The bucket of a client IP presenting a credential the database would have to check.</summary>
    public Task<RateLimitDecision> AcquireUnauthenticatedAsync(string clientIp, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        return AcquireAsync("ip:" + clientIp, settings.UnauthenticatedPermitsPerSecond, settings.UnauthenticatedBurst, cancellationToken);
    }

    private async Task<RateLimitDecision> AcquireAsync(string keyName, double permitsPerSecond, int burst, CancellationToken cancellationToken)
    {
        // Fail open: the limit protects capacity, not correctness, and the key was already checked;
        // refusing every request while Redis is down would turn a Redis outage into an API outage.
        var open = new RateLimitDecision(true, TimeSpan.Zero);
        try
        {
            var call = await circuit.RunAsync(() => redis.GetDatabase().ScriptEvaluateAsync(Script,
                [new RedisKey(KeyPrefix + keyName)],
                [permitsPerSecond.ToString(CultureInfo.InvariantCulture), burst]), cancellationToken);
            // Short-circuited: the circuit has already warned that rate limiting is off; no line per request.
            if (call.ShortCircuited) return open;
            if (call.Error is not null)
            {
                LogFailedOpen(logger, call.Error);
                return open;
            }
            var result = (RedisResult[])call.Value!;
            return new RateLimitDecision((long)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (RedisException ex)
        {
            LogFailedOpen(logger, ex);
            return open;
        }
    }

    [LoggerMessage(EventId = CoreEvents.RateLimitFailedOpen, Level = LogLevel.Warning, Message = "Rate limiting is off for this request: Redis did not answer")]
    private static partial void LogFailedOpen(ILogger logger, Exception exception);
}
