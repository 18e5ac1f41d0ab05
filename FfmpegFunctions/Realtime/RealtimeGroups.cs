using FfmpegFunctions.Core.Progress;

namespace FfmpegFunctions.Functions.Realtime;

/// <summary>
/// The SignalR Service hub and group names, shared by the REST event sender (always built) and the
/// negotiate/subscribe binding functions (built only where their extension package restores).
/// </summary>
public static class RealtimeGroups
{
    public const string HubName = "compositions";

    public static string GroupName(Guid compositionId) => CompositionGroupTarget.GroupName(compositionId);
}
