namespace FfmpegFunctions.Core.Compositions;

/// <summary>The lifecycle a client sees; the database CHECK constraint holds the same list.</summary>
public static class CompositionStatus
{
    public const string Pending = "pending";
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Deleted = "deleted";

    /// <summary>Completed, then its outputs were deleted after Storage:OutputRetention (Core/Retention).</summary>
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Pending, Queued, Processing, Completed, Failed, Cancelled, Deleted, Expired];

    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled or Deleted or Expired;
}
