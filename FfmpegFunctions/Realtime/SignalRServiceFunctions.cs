using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FfmpegFunctions.Functions.Realtime;

/// <summary>
/// Azure SignalR Service (Serverless mode) in place of the Server's CompositionsHub: clients negotiate
/// here, then join a composition's group through POST compositions/{id}/subscribe (a serverless hub has no
/// hub methods to call). Messages are the Server's: "progress", "status", "completed", "failed" to group
/// composition:{id}, sent by <see cref="SignalRServiceEventTarget"/>.
/// This file alone needs Microsoft.Azure.Functions.Worker.Extensions.SignalRService; the project leaves it
/// out (and says so) where that package cannot be restored, so the rest of the app still builds and is tested.
/// </summary>
public sealed class SignalRServiceFunctions(CompositionStore store)
{
    public const string HubName = RealtimeGroups.HubName;

    public static string GroupName(Guid compositionId) => RealtimeGroups.GroupName(compositionId);

    [Function("negotiate")]
    public static IActionResult Negotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "negotiate")] HttpRequest request,
        [SignalRConnectionInfoInput(HubName = HubName)] string connectionInfo) =>
        new ContentResult { Content = connectionInfo, ContentType = "application/json", StatusCode = StatusCodes.Status200OK };

    /// <summary>Like the hub's Subscribe: joins the group and answers the composition's state now, so a late subscriber misses no finish.</summary>
    [Function("SubscribeComposition")]
    public async Task<SubscribeOutput> SubscribeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "compositions/{id}/subscribe")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!RouteId.TryParse(id, out var compositionId)) return new SubscribeOutput(RouteId.NotFound());
        var body = await RequestBody.ReadAsync(request, 4096, cancellationToken);
        SubscribeRequest? subscribe = null;
        try
        {
            if (body is { Length: > 0 }) subscribe = JsonSerializer.Deserialize<SubscribeRequest>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            // Answered below like a missing connection id.
        }
        if (string.IsNullOrWhiteSpace(subscribe?.ConnectionId))
            return new SubscribeOutput(TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["connectionId"] = ["Send {\"connectionId\": \"...\"} from the SignalR connection."] },
                title: "The request is invalid."));

        // Scoped to the caller's tenant, as the Server's hub: another tenant's composition is as unknown as a missing one.
        var view = await store.GetAsync(compositionId, FfmpegFunctions.Core.Security.Tenants.Of(request.HttpContext), includeSpec: false, cancellationToken);
        if (view is null || view.Status == CompositionStatus.Deleted)
            return new SubscribeOutput(TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "No such composition.", detail: $"There is no composition {compositionId}."));

        return new SubscribeOutput(TypedResults.Ok(view))
        {
            GroupAction = new SignalRGroupAction(SignalRGroupActionType.Add) { ConnectionId = subscribe.ConnectionId, GroupName = GroupName(compositionId) },
        };
    }
}

public sealed record SubscribeRequest(string? ConnectionId);

/// <summary>The HTTP answer plus, when the subscription is valid, the group action for SignalR Service.</summary>
public sealed class SubscribeOutput(IResult response)
{
    [HttpResult]
    public IActionResult Response { get; } = new HttpResultAction(response);

    [SignalROutput(HubName = RealtimeGroups.HubName)]
    public SignalRGroupAction? GroupAction { get; init; }
}
