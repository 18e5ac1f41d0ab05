using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Progress;
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

    /// <returns>The composition's state now, so a late subscriber does not miss a finish; null for an unknown id.</returns>
    public async Task<CompositionView?> Subscribe(Guid compositionId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);
        return await store.GetAsync(compositionId, Context.ConnectionAborted, includeSpec: false);
    }

    public Task Unsubscribe(Guid compositionId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(compositionId), Context.ConnectionAborted);
}
