namespace FfmpegFunctions.Core.Compositions;

/// <summary>RFC 6901 pointer building; member names from clients may contain "/" or "~".</summary>
internal static class JsonPointer
{
    public static string Append(string pointer, string member) =>
        pointer + "/" + member.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) =>
        pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A System.Text.Json path ("$.clips[2].trim", from a JsonException) to a pointer ("/clips/2/trim"); good enough for
    /// the paths our records produce (member names are plain camelCase words there).
    /// </summary>
    public static string FromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "";
        return path.TrimStart('$').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Replace('.', '/');
    }
}
