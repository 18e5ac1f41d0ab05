namespace FfmpegFunctions.Tests.Compositions;

/// <summary>Files checked into the repository (docs), found from the test binaries by walking up to the solution.</summary>
internal static class RepoFiles
{
    public static string Path(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "FfmpegFunctions.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return System.IO.Path.Combine([dir.FullName, .. parts]);
    }
}
