using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace FfmpegFunctions.Core.Progress;

/// <summary>
/// Pings Redis itself rather than asking the circuit: readiness must say what Redis does now, not what the
/// last request saw. The circuit's state goes with the answer, so a probe body says rate limiting is off.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisCircuit circuit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["circuit"] = circuit.State.ToString() };
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy(data: data);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // First: the probe body keeps only the first 240 characters, and client messages are long.
            var state = circuit.State == RedisCircuitState.Closed ? "" : "Circuit open: rate limiting is off and events are dropped. ";
            return HealthCheckResult.Unhealthy(state + ex.Message, data: data);
        }
    }
}
