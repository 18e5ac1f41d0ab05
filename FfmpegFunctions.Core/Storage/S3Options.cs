using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Storage;

/// <summary>Section S3. Works against AWS S3 (leave ServiceUrl empty) and S3-compatible servers. PresignExpiry and
/// MaxUploadBytes apply whichever Storage:Provider is chosen (they predate the choice; renaming them breaks deployments).</summary>
public sealed class S3Options
{
    /// <summary>Required when Storage:Provider is S3 (checked there).</summary>
    public string? Bucket { get; set; }

    /// <summary>Custom endpoint (e.g. http://127.0.0.1:4568); empty means AWS.</summary>
    public string? ServiceUrl { get; set; }

    [Required(ErrorMessage = "The setting 'S3:Region' is required.")]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Static credentials; when both are empty the AWS default chain (env, profile, role) is used.</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (bucket in the path), needed by most S3-compatible servers.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Lifetime of presigned download and upload URLs.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "The setting 'S3:PresignExpiry' must be between 1 minute and 7 days.")]
    public TimeSpan PresignExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest file a presigned upload is issued for (the size the client declares); keep it at most
    /// Render:MaxInputBytes, which every render checks again from the stored object before downloading it.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "The setting 'S3:MaxUploadBytes' must be positive.")]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Objects larger than this are copied in parts (UploadPartCopy): S3's single CopyObject stops at 5 GiB.</summary>
    [Range(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024, ErrorMessage = "The setting 'S3:MultipartCopyThreshold' must be between 5 MiB and 5 GiB.")]
    public long MultipartCopyThreshold { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Part size of a multipart copy (S3: 5 MiB to 5 GiB a part, at most 10,000 parts).</summary>
    [Range(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024, ErrorMessage = "The setting 'S3:CopyPartSize' must be between 5 MiB and 5 GiB.")]
    public long CopyPartSize { get; set; } = 512L * 1024 * 1024;
}
