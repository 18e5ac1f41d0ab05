namespace FfmpegFunctions.Tests.Support;

/// <summary>The local stack the test command started (scripts/stack.sh writes these into .stack/test/env).</summary>
public static class StackSettings
{
    public static string Postgres => Require("ConnectionStrings__Postgres");
    public static string Redis => Require("ConnectionStrings__Redis");
    public static string S3ServiceUrl => Require("S3__ServiceUrl");
    public static string S3Bucket => Require("S3__Bucket");
    /// <summary>Azurite's account-key connection string (the stack exports it for the Functions host as AzureWebJobsStorage).</summary>
    public static string AzuriteConnectionString => Require("AzureWebJobsStorage");
    public static int AzuriteBlobPort => int.Parse(Require("AZURITE_BLOB_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static string StackName => Environment.GetEnvironmentVariable("STACK_NAME") ?? "test";

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with ./test.sh, which starts the local stack and exports its settings.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FfmpegFunctions.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (FfmpegFunctions.sln) above " + AppContext.BaseDirectory);
    }
}
