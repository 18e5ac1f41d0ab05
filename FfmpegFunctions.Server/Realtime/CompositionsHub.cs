using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.SignalR;

namespace FfmpegFunctions.Server.Realtime;

/// <summary>
/// Live progress at /hubs/compositions. A client calls Subscribe(compositionId) and then receives
/// "progress", "status", "completed" and "failed" for that composition only.
/// </summary>
/// <remarks>
/// The caller comes from <c>Context.User</c>, which the guard sets on every request: SignalR hands it to the hub on
/// every transport, where request features are not (long polling gives the hub a copy of the first request that keeps
/// only the user). A connection without a caller is refused; it never reads as the default tenant.
/// </remarks>
public sealed class CompositionsHub(CompositionStore store) : Hub
{
    public const string Path = "/hubs/compositions";

    public static string GroupName(Guid compositionId) => CompositionGroupTarget.GroupName(compositionId);

    public override Task OnConnectedAsync()
    {
        if (ApiKeyIdentity.From(Context.User) is null) Context.Abort();
        return Task.CompletedTask;
    }

    /// <returns>The composition's state now, so a late subscriber does not miss a finish; null for an unknown id
    /// and for another tenant's, whose group the connection never joins.</returns>
    public async Task<CompositionView?> Subscribe(Guid compositionId)
    {
        var tenant = Caller().Tenant;
        var view = await store.GetAsync(compositionId, tenant, includeSpec: false, Context.ConnectionAborted);
        if (view is null) return null;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);
        // Read again after joining, so an event between the first read and the join is not missed.
        return await store.GetAsync(compositionId, tenant, includeSpec: false, Context.ConnectionAborted) ?? view;
    }

    public Task Unsubscribe(Guid compositionId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);

    private ApiKeyIdentity Caller() =>
        ApiKeyIdentity.From(Context.User) ?? throw new HubException("This connection has no authenticated caller.");
}
