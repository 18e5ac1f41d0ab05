using System.Text;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Workflow;

namespace FfmpegFunctions.Core.Captions;

/// <summary>The probe step's check of a captions file, and the render step's .ass file made from it.</summary>
public static class CaptionsProbe
{
    /// <summary>A captions file is no media: it has no streams, and its "probe" is the strict cue check.</summary>
    public static readonly MediaInfo NoMedia = new(null, HasVideo: false, HasAudio: false, 0, 0, 0, IsStillImage: false);

    /// <exception cref="PermanentStepException">the file is too large, not UTF-8, or has bad cues (each named by line).</exception>
    public static async Task<MediaInfo> CheckAsync(string path, string key, CancellationToken cancellationToken)
    {
        Parse(await ReadAsync(path, key, cancellationToken), key);
        return NoMedia;
    }

    /// <summary>Writes captions.ass beside the downloaded file (same name, .ass) and returns its path; the same input always gives the same file.</summary>
    public static string WriteAss(string captionsPath, CaptionsSpec style, OutputSpec output)
    {
        var text = File.ReadAllText(captionsPath, Encoding.UTF8);
        var cues = Parse(text, style.Source).Cues;
        var assPath = Path.ChangeExtension(captionsPath, ".ass");
        File.WriteAllText(assPath, AssDocument.Build(cues, style, output.Width, output.Height), new UTF8Encoding(false));
        return assPath;
    }

    private static async Task<string> ReadAsync(string path, string key, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length > SpecLimits.MaxCaptionFileBytes)
            throw new PermanentStepException($"/captions/source: the captions file '{key}' is larger than {SpecLimits.MaxCaptionFileBytes / (1024 * 1024)} MiB.");
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PermanentStepException($"/captions/source: the captions file '{key}' is not UTF-8 text.");
        }
    }

    private static CaptionParseResult Parse(string text, string key)
    {
        var parsed = CaptionFile.Parse(text);
        if (!parsed.IsValid)
            throw new PermanentStepException($"/captions/source: the captions file '{key}' is invalid: {string.Join("; ", parsed.Errors)}");
        return parsed;
    }
}
