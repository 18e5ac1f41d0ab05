using System.Text;
using System.Text.RegularExpressions;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// What a spec may name as media: a relative object key in our bucket or a bare upload id.
/// Anything that could leave the bucket (schemes, absolute paths, "..") is refused here so
/// storage code never has to guess.
/// </summary>
public static partial class SourceKey
{
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        if (Guid.TryParseExact(key, "D", out _) || Guid.TryParseExact(key, "N", out _)) return true;
        // S3 limits keys in UTF-8 bytes, not characters.
        if (Encoding.UTF8.GetByteCount(key) > SpecLimits.MaxSourceKeyBytes) return false;
        if (key.Contains('\\', StringComparison.Ordinal) || key.Any(char.IsControl)) return false;
        if (SchemePrefix().IsMatch(key)) return false;
        // Also refuses a leading "/" (empty first segment), "//" and a trailing "/" (a folder, not an object).
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..") return false;
        }
        return true;
    }

    // "http:", "s3:", "file:", "c:" ... anything shaped like a URI scheme or a drive letter.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePrefix();
}
