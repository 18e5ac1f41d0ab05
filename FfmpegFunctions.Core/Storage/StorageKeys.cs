using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Storage;

/// <summary>The seed's bucket layout. Keys are deterministic so every step that writes is idempotent.</summary>
public static class StorageKeys
{
    public const string InputsPrefix = "inputs/";

    public static string InputPrefix(Guid uploadId) => $"{InputsPrefix}{uploadId:D}/";

    public static string Input(Guid uploadId, string fileName) => InputPrefix(uploadId) + fileName;

    /// <summary>Where a tenant's uploads live: inputs/t/{tenant}/ (the default tenant keeps the seed's inputs/{id}/).</summary>
    public static string TenantInputsPrefix(string tenant) =>
        tenant == Security.Tenants.Default ? InputsPrefix : $"{InputsPrefix}t/{tenant}/";

    public static string InputPrefix(string tenant, Guid uploadId) =>
        tenant == Security.Tenants.Default ? InputPrefix(uploadId) : $"{TenantInputsPrefix(tenant)}{uploadId:D}/";

    public static string Input(string tenant, Guid uploadId, string fileName) => InputPrefix(tenant, uploadId) + fileName;

    /// <summary>Shared sample media every tenant may use.</summary>
    public const string SamplesPrefix = InputsPrefix + "samples/";

    /// <summary>Whether a tenant may name this object key as a source: its own uploads and the samples only,
    /// never outputs/, temp/ or another tenant's inputs/t/{tenant}/.</summary>
    public static bool TenantMayRead(string tenant, string key)
    {
        if (key.StartsWith(SamplesPrefix, StringComparison.Ordinal)) return true;
        if (!key.StartsWith(InputsPrefix, StringComparison.Ordinal)) return false;
        var tenanted = key.StartsWith(InputsPrefix + "t/", StringComparison.Ordinal);
        return tenant == Security.Tenants.Default ? !tenanted : key.StartsWith(TenantInputsPrefix(tenant), StringComparison.Ordinal);
    }

    public static string OutputPrefix(Guid compositionId) => $"outputs/{compositionId:D}/";

    public static string Output(Guid compositionId, OutputFormat format) => OutputPrefix(compositionId) + "final." + Extension(format);

    public static string Thumbnail(Guid compositionId) => OutputPrefix(compositionId) + "thumbnail.jpg";

    public static string TempPrefix(string jobId) => $"temp/{jobId}/";

    /// <summary>Where the render keeps its one download of a URL source, so later steps on any instance read that copy.</summary>
    public static string UrlSource(string jobId, string url)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url)))[..24];
        var extension = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetExtension(uri.AbsolutePath) : "";
        // ffprobe and the planner go by content, but an image or captions file keeps its extension for readers that look.
        if (extension.Length > 8 || !extension.Skip(1).All(char.IsAsciiLetterOrDigit)) extension = "";
        return $"{TempPrefix(jobId)}sources/{hash}{extension.ToLowerInvariant()}";
    }

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Webm => "webm",
        OutputFormat.Gif => "gif",
        _ => "mp4",
    };

    public static string ContentType(OutputFormat format) => format switch
    {
        OutputFormat.Webm => "video/webm",
        OutputFormat.Gif => "image/gif",
        _ => "video/mp4",
    };
}
