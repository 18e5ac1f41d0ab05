using System.Text;
using FfmpegFunctions.Core.Captions;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Uploads;

/// <summary>How a confirmation ended.</summary>
public enum ConfirmOutcome
{
    Confirmed,
    /// <summary>Refused: the object was deleted and the upload marked rejected.</summary>
    Rejected,
    /// <summary>Nothing is stored at the key yet (the PUT has not happened).</summary>
    NotUploaded,
}

public sealed record ConfirmResult(ConfirmOutcome Outcome, string? Reason = null);

/// <summary>
/// Checks what a client actually stored before anything uses it: the size against what it declared (the emulator and
/// Azure SAS links take any length, so a signed URL alone proves nothing), the stored type, and that the bytes are
/// media ffprobe reads (or, for a .srt/.vtt, captions our parser reads). A refused upload's object is deleted at once.
/// Used by POST /api/uploads/{id}/complete and by the render's first use of an upload nobody confirmed.
/// </summary>
public sealed partial class UploadConfirmer(
    UploadStore uploads, IObjectStore objects, UploadProbe probe, IOptions<S3Options> s3, IOptions<MediaLimits> limits, ILogger<UploadConfirmer> logger)
{
    public async Task<ConfirmResult> ConfirmAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        if (upload.Status == UploadStatus.Confirmed) return new(ConfirmOutcome.Confirmed);
        if (upload.Status == UploadStatus.Rejected) return new(ConfirmOutcome.Rejected, upload.Rejection);

        var stat = await objects.StatAsync(upload.Key, cancellationToken);
        if (stat is null) return new(ConfirmOutcome.NotUploaded);
        var reason = await RefusalAsync(upload, stat, cancellationToken);
        if (reason is null)
        {
            await uploads.MarkConfirmedAsync(upload.Id, stat.Size, stat.ContentType, cancellationToken);
            LogConfirmed(logger, upload.Id, stat.Size, stat.ContentType);
            return new(ConfirmOutcome.Confirmed);
        }
        // The object goes first: a crash in between leaves a pending row whose next confirmation finds nothing stored.
        await objects.DeletePrefixAsync(StorageKeys.InputPrefix(upload.Tenant, upload.Id), cancellationToken);
        await uploads.MarkRejectedAsync(upload.Id, stat.Size, stat.ContentType, reason, cancellationToken);
        LogRejected(logger, upload.Id, reason);
        return new(ConfirmOutcome.Rejected, reason);
    }

    /// <summary>
    /// The render's check at first use: every upload among the resolved keys that nobody confirmed is confirmed now,
    /// so clients that never call /complete get the same check. Objects without an upload row (stored before uploads
    /// were recorded, or by an operator) are left to the render's own checks.
    /// </summary>
    /// <exception cref="PermanentStepException">an upload was refused now or before; the message starts with the member's pointer.</exception>
    public async Task ConfirmInUseAsync(string tenant, IReadOnlyList<(string Key, string Pointer)> inputs, CancellationToken cancellationToken)
    {
        var records = await uploads.FindByKeysAsync(tenant, [.. inputs.Select(i => i.Key).Distinct(StringComparer.Ordinal)], cancellationToken);
        foreach (var record in records)
        {
            var result = await ConfirmAsync(record, cancellationToken);
            if (result.Outcome != ConfirmOutcome.Rejected) continue;
            var pointer = inputs.First(i => i.Key == record.Key).Pointer;
            throw new PermanentStepException($"{pointer}: The upload '{record.Key}' was refused: {result.Reason}");
        }
    }

    private async Task<string?> RefusalAsync(UploadRecord upload, ObjectStat stat, CancellationToken cancellationToken)
    {
        var allowed = upload.DeclaredSize ?? s3.Value.MaxUploadBytes;
        if (stat.Size > allowed)
            return upload.DeclaredSize is null
                ? $"it is {stat.Size} bytes, more than the {allowed} allowed per upload (S3:MaxUploadBytes)."
                : $"it is {stat.Size} bytes, more than the {allowed} bytes declared for it.";
        if (stat.Size == 0) return "it is empty.";
        if (!UploadsApi.IsRenderable(stat.ContentType, upload.FileName))
            return $"it was stored as '{stat.ContentType ?? "no type"}', not a type a render can read (it was declared as '{upload.ContentType}').";
        if (UploadsApi.IsCaptions(upload.ContentType, upload.FileName)) return await CaptionsRefusalAsync(upload, stat, cancellationToken);
        try
        {
            var media = await probe.ProbeAsync(upload.Key, cancellationToken);
            return limits.Value.Violation(media) is { } violation ? $"it {violation}." : null;
        }
        catch (InvalidMediaException ex)
        {
            return "it is not media ffprobe can read: " + ex.ProbeError;
        }
    }

    private async Task<string?> CaptionsRefusalAsync(UploadRecord upload, ObjectStat stat, CancellationToken cancellationToken)
    {
        if (stat.Size > SpecLimits.MaxCaptionFileBytes) return $"a captions file is at most {SpecLimits.MaxCaptionFileBytes / (1024 * 1024)} MiB.";
        var path = Path.Combine(Path.GetTempPath(), $"upload-{upload.Id:N}-{Guid.NewGuid():N}.txt");
        try
        {
            await objects.DownloadToFileAsync(upload.Key, path, cancellationToken);
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(await File.ReadAllBytesAsync(path, cancellationToken));
            }
            catch (DecoderFallbackException)
            {
                return "the captions file is not UTF-8 text.";
            }
            var parsed = CaptionFile.Parse(text);
            return parsed.IsValid ? null : "the captions file is not valid SRT or WebVTT: " + string.Join("; ", parsed.Errors.Take(5));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [LoggerMessage(EventId = CoreEvents.UploadConfirmed, Level = LogLevel.Information, Message = "Upload {UploadId} confirmed: {Size} bytes of {ContentType}")]
    private static partial void LogConfirmed(ILogger logger, Guid uploadId, long size, string? contentType);

    [LoggerMessage(EventId = CoreEvents.UploadRejected, Level = LogLevel.Warning, Message = "Upload {UploadId} refused and deleted: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid uploadId, string reason);
}
