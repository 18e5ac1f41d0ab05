using System.Globalization;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;
using FfmpegFunctions.Tests.Rendering.Execution;
using FfmpegFunctions.Tests.Rendering.Planning;
using FfmpegFunctions.Tests.Support;
using static FfmpegFunctions.Tests.Rendering.Planning.PlannerSpecs;

namespace FfmpegFunctions.Tests.Rendering.Segments;

/// <summary>
/// Seam tests: a composition rendered in segments (each encoded alone, the audio once, joined by stream copy)
/// against the same composition in one pass, by the real ffmpeg.
/// </summary>
public sealed class SegmentedRenderTests(SegmentMediaFixture media) : IClassFixture<SegmentMediaFixture>, IDisposable
{
    private readonly RenderPlanner _planner = new();
    private readonly ExecutionHarness _harness = new();

    /// <summary>
    /// 7 s at 25 fps: a 1 s fade from a 2 s clip into a 6 s one, a fading text and a fading logo across cuts, a
    /// picture-in-picture layer across one, a music bed. At 1.9 s a segment, the first cut would fall inside the fade
    /// (frame 44 of 25-50) and moves to its end; the others cut into the long clip, which is seeked into.
    /// </summary>
    private static CompositionSpec Composition(int quality, OutputFormat format = OutputFormat.Mp4) =>
        Spec(Clip("short", transition: Fade(1)), Clip("long")) with
        {
            Output = new OutputSpec { Width = 320, Height = 180, Fps = 25, Preset = "ultrafast", Quality = quality, Format = format },
            Overlays =
            [
                new TextOverlaySpec { Text = "across the cuts", Start = 1, End = 5.5, FadeIn = 0.5, FadeOut = 0.5, FontSize = 20 },
                new ImageOverlaySpec { Source = "logo", Start = 3, End = 6, FadeIn = 0.4, Position = Position.TopRight },
            ],
            Layers = [new LayerSpec { Source = "pip", Start = 3, Duration = 1.5, Position = Position.BottomLeft, FadeIn = 0.3 }],
            Audio = new AudioSpec { Source = "music", Loop = true, ClipAudio = 0.5 },
        };

    [Fact]
    public void TheFirstCutMovesToTheClipBoundaryAndTheOthersCutIntoTheLongClip()
    {
        var windows = _planner.Windows(Composition(23), media.Inputs, 1.9);

        Assert.Equal([(0L, 50L), (50L, 38L), (88L, 43L), (131L, 44L)], windows.Select(w => (w.StartFrame, w.Frames)));
        // A window inside the long clip decodes it from its start (frames stay exactly a single pass's), and no
        // further than a second past its own end: 106 frames of the clip + 25.
        var third = _planner.PlanSegment(Composition(23), media.Inputs, windows[2], Path.Combine(_harness.OutputDirectory, "s.mp4"));
        var arguments = third.Arguments.ToList();
        var input = arguments.IndexOf(media.Inputs["long"].Path);
        Assert.Equal(["-t", "5.24", "-i"], arguments[(input - 3)..input]);
        Assert.DoesNotContain("-ss", arguments);
        // The layer (3-4.5 s) is not in the last window; the logo (3-6 s) is.
        var last = _planner.PlanSegment(Composition(23), media.Inputs, windows[3], Path.Combine(_harness.OutputDirectory, "s.mp4")).Arguments;
        Assert.DoesNotContain(media.Inputs["pip"].Path, last);
        Assert.Contains(media.Inputs["logo"].Path, last);
    }

    [Fact]
    public async Task LosslessSegmentsJoinToTheSinglePassFramesWithNoneShiftedDroppedOrDuplicated()
    {
        // x264 at CRF 0 is lossless, so the join is compared with the single pass with no encoder noise in between:
        // a frame shifted, dropped or duplicated at a join differs from its neighbour by far more (testsrc2 moves
        // every frame: 21-23 dB). Frames are not bit-identical everywhere: after a transition a single pass's frames
        // come out of xfade, a segment's straight from the clip, and ffmpeg's format negotiation for overlays depends
        // on the rest of the graph; both move pixel values by a step or two (above 35 dB).
        var spec = Composition(quality: 0);
        var single = await RenderSingleAsync(spec, "single.mp4");
        var joined = await RenderSegmentedAsync(spec, 1.9, "joined.mp4");

        Assert.Equal(175, StreamFacts.VideoFrames(single));
        Assert.Equal(175, StreamFacts.VideoFrames(joined));
        var psnr = Ssim.PsnrPerFrame(joined, single);
        Assert.Equal(175, psnr.Count);
        var worst = psnr.Min();
        Assert.True(worst >= 35, $"lowest PSNR {worst:0.0} dB at frame {psnr.IndexOf(worst)}");
        // The first segment is the single pass's own graph up to its cut: identical frames.
        Assert.All(psnr.Take(26), p => Assert.Equal(double.PositiveInfinity, p));
        AssertInSync(joined, 25);
    }

    [Fact]
    public async Task SegmentsAtNormalQualityMatchTheSinglePassFrameByFrame()
    {
        var spec = Composition(quality: 23);
        var single = await RenderSingleAsync(spec, "single23.mp4");
        var joined = await RenderSegmentedAsync(spec, 1.9, "joined23.mp4");

        Assert.Equal(StreamFacts.VideoFrames(single), StreamFacts.VideoFrames(joined));
        var ssim = Ssim.PerFrame(joined, single);
        Assert.Equal(175, ssim.Count);
        Assert.True(ssim.Min() >= 0.98, $"lowest SSIM {ssim.Min():0.0000} at frame {ssim.IndexOf(ssim.Min())}");
        // Where the overlays are, across the cuts: the fading text (1-5.5 s, over cuts at 50 and 88), the layer (3-4.5 s,
        // over 88) and the logo (3-6 s, over 131). A missing or mistimed overlay scores far lower.
        foreach (var (name, crop) in new[] { ("text", "200:40:0:0"), ("layer", "128:90:0:90"), ("logo", "80:80:240:0") })
        {
            var region = Ssim.PerFrame(joined, single, crop);
            Assert.True(region.Min() >= 0.95, $"{name}: lowest SSIM {region.Min():0.0000} at frame {region.IndexOf(region.Min())}");
        }
        AssertInSync(joined, 25);
        var (singleVideo, joinedVideo) = (StreamFacts.Timing(single, "v"), StreamFacts.Timing(joined, "v"));
        Assert.InRange(joinedVideo.Duration - singleVideo.Duration, -1 / 25.0, 1 / 25.0);
        // Each segment opened with a keyframe of its own: the join is a stream copy, not a re-encode.
        Assert.Equal(4, KeyframesAt(joined, [0, 50, 88, 131]));
    }

    /// <summary>
    /// Spec v2 timing across cuts: a 3 s still with a Ken Burns zoom and a fade-in (a segment starting inside it must
    /// continue the zoom where the previous one stopped), then the 6 s clip at 1.5x speed (4 s on the timeline) with a
    /// fade-out. 7 s at 25 fps, cut at 1.9 s a segment: into the still, into the sped-up clip twice.
    /// </summary>
    [Fact]
    public async Task KenBurnsAndSpeedContinueAcrossCutsAsInTheSinglePass()
    {
        var spec = Spec(
            Clip("photo", duration: 3) with { Motion = new MotionSpec { To = new MotionFrame { Zoom = 1.6, X = 0.2, Y = 0.8 } }, FadeIn = 0.5 },
            Clip("long") with { Speed = 1.5, FadeOut = 0.5 }) with
        {
            Output = new OutputSpec { Width = 320, Height = 180, Fps = 25, Preset = "ultrafast", Quality = 23 },
        };
        var single = await RenderSingleAsync(spec, "motion-single.mp4");
        var joined = await RenderSegmentedAsync(spec, 1.9, "motion-joined.mp4");

        Assert.Equal(175, StreamFacts.VideoFrames(single));
        Assert.Equal(175, StreamFacts.VideoFrames(joined));
        var ssim = Ssim.PerFrame(joined, single);
        Assert.True(ssim.Min() >= 0.98, $"lowest SSIM {ssim.Min():0.0000} at frame {ssim.IndexOf(ssim.Min())}");
        AssertInSync(joined, 25);
    }

    [Fact]
    public async Task WebmSegmentsJoinWithOpusAudio()
    {
        var spec = Composition(quality: 32, OutputFormat.Webm);
        var joined = await RenderSegmentedAsync(spec, 1.9, "joined.webm");

        var file = FfprobeReader.Read(joined);
        Assert.Equal(("vp9", "opus"), (file.VideoCodec, file.AudioCodec));
        Assert.Equal(175, StreamFacts.VideoFrames(joined));
        Assert.InRange(file.Duration, 7 - 1 / 25.0, 7 + 1 / 25.0 + 0.01);
    }

    [Fact]
    public void AShortTimelineAndAGifAreNotSplit()
    {
        Assert.Single(_planner.Windows(Composition(23), media.Inputs, 60));
        Assert.Single(_planner.Windows(Composition(23) with { Output = new OutputSpec { Width = 160, Height = 90, Fps = 10, Format = OutputFormat.Gif } }, media.Inputs, 1.9));
        Assert.Single(_planner.Windows(Composition(23), media.Inputs, 0));
    }

    private async Task<string> RenderSingleAsync(CompositionSpec spec, string name)
    {
        var plan = _planner.Plan(spec, media.Inputs, Path.Combine(_harness.OutputDirectory, name));
        await _harness.Executor.RenderAsync(plan, null, CancellationToken.None);
        return plan.OutputPath;
    }

    /// <summary>As the workflow does it, on one machine: every window, the audio, then the join.</summary>
    private async Task<string> RenderSegmentedAsync(CompositionSpec spec, double segmentSeconds, string name)
    {
        var extension = Path.GetExtension(name);
        var stem = Path.GetFileNameWithoutExtension(name);
        var windows = _planner.Windows(spec, media.Inputs, segmentSeconds);
        Assert.True(windows.Count > 1, "the composition should be split");
        var parts = new List<string>();
        foreach (var window in windows)
        {
            var path = Path.Combine(_harness.OutputDirectory, $"{stem}-{window.Index}{extension}");
            await _harness.Executor.RenderAsync(_planner.PlanSegment(spec, media.Inputs, window, path), null, CancellationToken.None);
            parts.Add(path);
        }
        var audio = Path.Combine(_harness.OutputDirectory, $"{stem}-audio{extension}");
        await _harness.Executor.RenderAsync(_planner.PlanAudio(spec, media.Inputs, audio), null, CancellationToken.None);
        var joined = _planner.PlanJoin(spec, media.Inputs, parts, audio, Path.Combine(_harness.OutputDirectory, name));
        await _harness.Executor.RenderAsync(joined, null, CancellationToken.None);
        Assert.Empty(_harness.LeftoverWorkDirectories());
        return joined.OutputPath;
    }

    private static void AssertInSync(string path, double fps)
    {
        var video = StreamFacts.Timing(path, "v");
        var audio = StreamFacts.Timing(path, "a");
        Assert.InRange(audio.Start - video.Start, -1 / fps, 1 / fps);
        Assert.InRange(audio.Start + audio.Duration - (video.Start + video.Duration), -1 / fps, 1 / fps);
    }

    private static int KeyframesAt(string path, long[] frames)
    {
        var flags = StreamFacts.Probe(["-select_streams", "v:0", "-show_entries", "packet=flags", "-of", "csv=p=0", path])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Packets are in decode order; at the start of each closed GOP decode and display order meet.
        var keyIndexes = flags.Select((f, i) => (f, i)).Where(p => p.f.StartsWith('K')).Select(p => (long)p.i).ToHashSet();
        return frames.Count(keyIndexes.Contains);
    }

    public void Dispose() => _harness.Dispose();
}
