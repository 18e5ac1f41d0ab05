namespace FfmpegFunctions.Core.Uploads;

/// <summary>Where an upload is in its life: its URL was issued, its stored object was checked, or it was refused.</summary>
public static class UploadStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
}

/// <summary>One upload as the API lists it.</summary>
/// <param name="Name">The file name the client gave (made safe), as in the key.</param>
/// <param name="Type">The stored object's content type once confirmed, the declared one before.</param>
/// <param name="Size">The stored object's bytes once confirmed, the declared size (if any) before.</param>
/// <param name="UsedBy">How many compositions (not deleted) name this upload, by id or by key.</param>
/// <param name="Rejection">Why a rejected upload was refused (its object is gone).</param>
public sealed record UploadView(
    Guid Id,
    string Key,
    string Name,
    string Type,
    long? Size,
    string Status,
    int UsedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConfirmedAt,
    string? Rejection);

public sealed record UploadPage(IReadOnlyList<UploadView> Items, string? NextCursor);

/// <summary>What the confirmation needs of an upload's row.</summary>
public sealed record UploadRecord(Guid Id, string Tenant, string Key, string FileName, string ContentType, long? DeclaredSize, string Status, string? Rejection);
