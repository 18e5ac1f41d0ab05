using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.SignalR;

namespace FfmpegFunctions.Server.Realtime;

/// <summary>
/// Live progress at /hubs/compositions. A client calls Subscribe(compositionId) and then receives
/// "progress", "status", "completed" and "failed" for that composition only.
/// </summary>
public sealed class CompositionsHub(CompositionStore store) : Hub
{
    public const string Path = "/hubs/compositions";

    public static string GroupName(Guid compositionId) => CompositionGroupTarget.GroupName(compositionId);

    /// <returns>The composition's state now, so a late subscriber does not miss a finish; null for an unknown id
    /// and for another tenant's, whose group the connection never joins.</returns>
    public async Task<CompositionView?> Subscribe(Guid compositionId)
    {
        var tenant = Context.GetHttpContext() is { } http ? Tenants.Of(http) : Tenants.Default;
        var view = await store.GetAsync(compositionId, Context.ConnectionAborted, includeSpec: false, tenant: tenant);
        if (view is null) return null;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);
        // Read again after joining, so an event between the first read and the join is not missed.
        return await store.GetAsync(compositionId, Context.ConnectionAborted, includeSpec: false, tenant: tenant) ?? view;
    }

    public Task Unsubscribe(Guid compositionId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);
}
