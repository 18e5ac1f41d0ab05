using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Tests.Compositions;

public sealed class TimelineTests
{
    [Fact]
    public void TransitionsShortenTheTotalByTheirOverlap() =>
        Assert.Equal(12.5, Timeline.TotalDuration([5, 4, 6], [1, 1.5]), 9);

    [Fact]
    public void ClipLengthIsDurationTrimWindowOrTheShorterOfBoth()
    {
        Assert.Equal(3, Timeline.KnownLength(new ClipSpec { Source = "a", Duration = 3 }));
        Assert.Equal(4, Timeline.KnownLength(new ClipSpec { Source = "a", Trim = new() { Start = 1, End = 5 } }));
        Assert.Equal(2, Timeline.KnownLength(new ClipSpec { Source = "a", Duration = 2, Trim = new() { Start = 1, End = 5 } }));
        Assert.Null(Timeline.KnownLength(new ClipSpec { Source = "a", Trim = new() { Start = 1 } }));
    }

    [Fact]
    public void TotalIsUnknownWhileAnyClipLengthIs()
    {
        ClipSpec[] clips = [new() { Source = "a", Duration = 3 }, new() { Source = "b" }];

        Assert.Null(Timeline.KnownTotal(clips));
    }

    [Fact]
    public void TransitionOnTheLastClipDoesNotCount()
    {
        ClipSpec[] clips =
        [
            new() { Source = "a", Duration = 3, Transition = new() { Duration = 1 } },
            new() { Source = "b", Duration = 3, Transition = new() { Duration = 1 } },
        ];

        Assert.Equal(5, Timeline.KnownTotal(clips));
    }
}
