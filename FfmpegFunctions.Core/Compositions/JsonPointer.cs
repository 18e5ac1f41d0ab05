namespace FfmpegFunctions.Core.Compositions;

/// <summary>RFC 6901 pointer building; member names from clients may contain "/" or "~".</summary>
internal static class JsonPointer
{
    public static string Append(string pointer, string member) =>
        pointer + "/" + member.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) =>
        pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
