using System.Runtime.Versioning;
using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Tests.Rendering.Execution;

// The exec bit is what these tests are about; it does not exist on Windows.
[UnsupportedOSPlatform("windows")]
public sealed class FfmpegLocatorTests : IDisposable
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string root = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-locator-" + Guid.NewGuid().ToString("N"));

    public FfmpegLocatorTests() => Directory.CreateDirectory(root);

    [Fact]
    public void ANameIsResolvedOnPath()
    {
        using var harness = new ExecutionHarness();

        var path = harness.Locator.GetFfmpegPath();

        Assert.True(Path.IsPathFullyQualified(path));
        Assert.Equal("ffmpeg", Path.GetFileName(path));
    }

    [Fact]
    public async Task ABinaryWithoutTheExecBitIsCopiedOnceMadeExecutableAndUsed()
    {
        var copy = NonExecutableFfmpeg();
        using var harness = new ExecutionHarness(o => o.FfmpegPath = copy);

        var paths = new string[8];
        Parallel.For(0, paths.Length, i => paths[i] = harness.Locator.GetFfmpegPath());

        var runnable = Assert.Single(paths.Distinct());
        Assert.NotEqual(copy, runnable);
        Assert.StartsWith(Path.Combine(harness.TempDirectory, "ffmpegfunctions-bin"), runnable, StringComparison.Ordinal);
        Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(runnable) & AnyExecute);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(runnable)!));

        var result = await harness.Executor.RenderAsync(harness.TestPatternPlan(seconds: 1), null, CancellationToken.None);
        Assert.InRange(result.Duration, 0.9, 1.1);
    }

    [Fact]
    public void AnotherLocatorReusesTheExistingExecutableCopy()
    {
        var copy = NonExecutableFfmpeg();
        using var first = new ExecutionHarness(o => o.FfmpegPath = copy);
        var runnable = first.Locator.GetFfmpegPath();
        var written = File.GetLastWriteTimeUtc(runnable);

        var second = new FfmpegLocator(Microsoft.Extensions.Options.Options.Create(first.Options), Microsoft.Extensions.Logging.Abstractions.NullLogger<FfmpegLocator>.Instance);

        Assert.Equal(runnable, second.GetFfmpegPath());
        Assert.Equal(written, File.GetLastWriteTimeUtc(runnable));
    }

    [Fact]
    public void AMissingBinaryNamesTheSetting()
    {
        using var harness = new ExecutionHarness(o => o.FfprobePath = Path.Combine(root, "nope", "ffprobe"));

        var error = Assert.Throws<FileNotFoundException>(() => harness.Locator.GetFfprobePath());

        Assert.Contains("Ffmpeg:FfprobePath", error.Message, StringComparison.Ordinal);
    }

    private string NonExecutableFfmpeg()
    {
        var source = FfmpegLocator.Resolve("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not on PATH");
        var copy = Path.Combine(root, "ffmpeg");
        File.Copy(source, copy, overwrite: true);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return copy;
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
