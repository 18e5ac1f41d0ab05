extern alias functions;

using System.Collections.Immutable;
using functions::FfmpegFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace FfmpegFunctions.Tests.Functions;

/// <summary>An HTTP function's answer as a client would see it.</summary>
public sealed record FunctionResponse(int Status, IHeaderDictionary Headers, string Body, bool FunctionRan);

/// <summary>
/// Invokes an HTTP function as the worker does: the app's middleware pipeline (request telemetry, then the API
/// guard) over a FunctionContext (a Moq of the worker's abstract type, carrying the HttpContext where the ASP.NET
/// Core integration puts it), then the function, then its IActionResult against the real HttpContext.
/// </summary>
public sealed class HttpFunctionInvoker(FunctionsAppHost host)
{
    /// <summary>Where Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore keeps the invocation's HttpContext.</summary>
    private const string HttpContextKey = "HttpRequestContext";

    public async Task<FunctionResponse> InvokeAsync(string functionName, HttpContext http, Func<Task<IActionResult>> function)
    {
        var ran = false;
        var context = FunctionContextFor(functionName, http);
        var guard = ActivatorUtilities.CreateInstance<ApiGuardMiddleware>(host.Services);
        var telemetry = ActivatorUtilities.CreateInstance<RequestTelemetryMiddleware>(host.Services);
        await telemetry.Invoke(context, c => guard.Invoke(c, async _ =>
        {
            ran = true;
            await FunctionsAppHost.ExecuteAsync(http, await function());
        }));
        await StartingResponseFeature.StartAsync(http);
        return new FunctionResponse(http.Response.StatusCode, http.Response.Headers, FunctionsAppHost.ReadBody(http), ran);
    }

    private FunctionContext FunctionContextFor(string functionName, HttpContext http)
    {
        var trigger = new Mock<BindingMetadata>();
        trigger.SetupGet(b => b.Name).Returns("request");
        trigger.SetupGet(b => b.Type).Returns("httpTrigger");
        trigger.SetupGet(b => b.Direction).Returns(BindingDirection.In);
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(functionName);
        definition.SetupGet(d => d.InputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty.Add("request", trigger.Object));
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { [HttpContextKey] = http });
        context.SetupGet(c => c.InstanceServices).Returns(host.Services);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString());
        context.SetupGet(c => c.CancellationToken).Returns(http.RequestAborted);
        return context.Object;
    }
}
