using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace FfmpegFunctions.Functions.Http;

public static class HttpPipelineExtensions
{
    /// <summary>
    /// The Server's request pipeline for HTTP invocations, outermost first: request id + request log + metrics,
    /// then the API key and rate limit. Orchestrations, activities and timers pass through untouched.
    /// </summary>
    public static FunctionsApplicationBuilder UseHttpPipeline(this FunctionsApplicationBuilder builder)
    {
        builder.UseWhen<RequestTelemetryMiddleware>(IsHttp);
        builder.UseWhen<ApiGuardMiddleware>(IsHttp);
        return builder;
    }

    public static bool IsHttp(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => b.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase));
}
