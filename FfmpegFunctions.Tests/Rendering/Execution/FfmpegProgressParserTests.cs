using FfmpegFunctions.Core.Rendering;

namespace FfmpegFunctions.Tests.Rendering.Execution;

public sealed class FfmpegProgressParserTests
{
    [Fact]
    public void ABlockBecomesOneReportWhenItsProgressLineArrives()
    {
        var parser = new FfmpegProgressParser(durationSeconds: 10);

        Assert.Null(parser.Feed("frame=75"));
        Assert.Null(parser.Feed("out_time_us=2500000"));
        Assert.Null(parser.Feed("out_time_ms=2500000"));
        Assert.Null(parser.Feed("speed=1.25x"));
        var report = parser.Feed("progress=continue");

        Assert.Equal(new RenderProgress(25, TimeSpan.FromSeconds(2.5), 1.25), report);
        Assert.False(parser.Ended);
    }

    [Fact]
    public void OutTimeMsIsReadAsMicrosecondsLikeFfmpegWritesIt()
    {
        var parser = new FfmpegProgressParser(durationSeconds: 4);

        parser.Feed("out_time_ms=1000000");
        var report = parser.Feed("progress=continue");

        Assert.Equal(25, report!.Percent);
    }

    [Fact]
    public void UnknownAndNegativeValuesBeforeTheFirstFrameAreIgnored()
    {
        var parser = new FfmpegProgressParser(durationSeconds: 4);

        parser.Feed("out_time_us=-9223372036854775807");
        parser.Feed("out_time=-577014:32:22.775808");
        parser.Feed("speed=N/A");
        var report = parser.Feed("progress=continue");

        Assert.Equal(new RenderProgress(0, TimeSpan.Zero, null), report);
    }

    [Fact]
    public void PercentIsClampedAndTheEndIsRecognised()
    {
        var parser = new FfmpegProgressParser(durationSeconds: 2);

        parser.Feed("out_time_us=2040000");
        var report = parser.Feed("progress=end");

        Assert.Equal(100, report!.Percent);
        Assert.True(parser.Ended);
    }

    [Fact]
    public void MonotonicProgressHoldsItsHighestValueAndOnlyCompletionReaches100()
    {
        var recorded = new RecordingProgress();
        var progress = new MonotonicProgress(recorded, TimeSpan.FromSeconds(1));

        progress.Report(new RenderProgress(40, TimeSpan.FromSeconds(4), 1));
        progress.Report(new RenderProgress(30, TimeSpan.FromSeconds(3), 1));
        progress.Report(new RenderProgress(100, TimeSpan.FromSeconds(10), 1));
        progress.Complete();
        progress.Report(new RenderProgress(50, TimeSpan.FromSeconds(5), 1));

        Assert.Equal([40, 40, 99.9, 100], recorded.Reports.Select(r => r.Report.Percent));
    }

    [Fact]
    public void TheStderrTailKeepsOnlyTheLastLinesWithinItsBudget()
    {
        var tail = new StderrTail(maxLines: 3, maxChars: 20);

        foreach (var line in new[] { "one", "two", "three", "four" }) tail.Add(line);
        Assert.Equal("two\nthree\nfour\n", tail.ToString());

        tail.Add(new string('x', 50));
        Assert.Equal(new string('x', 20) + "\n", tail.ToString());
    }
}
