using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

public sealed class SourceKeyTests
{
    [Theory]
    [InlineData("inputs/abc/clip.mp4")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("3f2504e04f8911d39a0c0305e82c3301")]
    [InlineData("clip.mp4")]
    [InlineData("inputs/été/clip 1.mp4")]
    [InlineData("inputs/a:b.mp4")]
    public void RelativeKeysAndUploadIdsAreAccepted(string key) => Assert.True(SourceKey.IsValid(key));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("inputs/../../x")]
    [InlineData("http://evil/x")]
    [InlineData("s3://bucket/x")]
    [InlineData("file:/etc/passwd")]
    [InlineData("/abs")]
    [InlineData("a\\b")]
    [InlineData("C:\\x.mp4")]
    [InlineData("inputs//x.mp4")]
    [InlineData("inputs/./x.mp4")]
    [InlineData("inputs/")]
    [InlineData("inputs/a\nb.mp4")]
    [InlineData("inputs/a\u0000.mp4")]
    public void KeysThatCouldLeaveTheBucketAreRefused(string? key) => Assert.False(SourceKey.IsValid(key));

    [Fact]
    public void KeysAreLimitedTo1024Utf8Bytes()
    {
        Assert.True(SourceKey.IsValid(new string('a', 1024)));
        Assert.False(SourceKey.IsValid(new string('a', 1025)));
        Assert.False(SourceKey.IsValid(new string('é', 513)));
    }
}
