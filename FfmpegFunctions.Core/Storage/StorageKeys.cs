using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Storage;

/// <summary>The seed's bucket layout. Keys are deterministic so every step that writes is idempotent.</summary>
public static class StorageKeys
{
    public const string InputsPrefix = "inputs/";

    public static string InputPrefix(Guid uploadId) => $"{InputsPrefix}{uploadId:D}/";

    public static string Input(Guid uploadId, string fileName) => InputPrefix(uploadId) + fileName;

    public static string OutputPrefix(Guid compositionId) => $"outputs/{compositionId:D}/";

    public static string Output(Guid compositionId, OutputFormat format) => OutputPrefix(compositionId) + "final." + Extension(format);

    public static string Thumbnail(Guid compositionId) => OutputPrefix(compositionId) + "thumbnail.jpg";

    public static string TempPrefix(string jobId) => $"temp/{jobId}/";

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
