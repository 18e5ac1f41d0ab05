using System.Reflection;

namespace FfmpegFunctions.Core.Database;

/// <summary>One versioned SQL file. Version is the file name's numeric prefix (0001_initial_schema.sql -> 0001).</summary>
public sealed record Migration(string Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the SQL (line endings normalised), recorded when applied.</summary>
    public string Checksum => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    private const string ResourcePrefix = "FfmpegFunctions.Core.Database.Migrations.";

    /// <summary>The migrations shipped in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => FromResource(assembly, n))
            .OrderBy(m => m.Version, StringComparer.Ordinal)];
    }

    private static Migration FromResource(Assembly assembly, string resourceName)
    {
        var name = resourceName[ResourcePrefix.Length..^".sql".Length];
        var version = name.Split('_', 2)[0];
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, name, reader.ReadToEnd());
    }
}
