using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Pipeline;

/// <summary>Media shared by the pipeline tests, generated once per run.</summary>
public sealed class PipelineMedia : IDisposable
{
    private readonly TestMedia media = new();

    public PipelineMedia()
    {
        Clip = media.Video("clip.mp4", seconds: 2);
        Tiny = media.Video("tiny.mp4", seconds: 1, width: 160, height: 90);
        Long = media.Video("long.mp4", seconds: 4);
        Corrupt = Path.Combine(media.Directory, "corrupt.mp4");
        var noise = new byte[64 * 1024];
        new Random(42).NextBytes(noise);
        File.WriteAllBytes(Corrupt, noise);
    }

    /// <summary>2 s, 320x180, 25 fps, stereo tone.</summary>
    public string Clip { get; }

    /// <summary>1 s, 160x90: cheap to render many times.</summary>
    public string Tiny { get; }

    /// <summary>4 s source for renders that must last long enough to interrupt.</summary>
    public string Long { get; }

    /// <summary>Random bytes named .mp4.</summary>
    public string Corrupt { get; }

    public void Dispose() => media.Dispose();
}

/// <summary>Pipeline tests render with ffmpeg; they run one class at a time beside the light tests.</summary>
[CollectionDefinition(nameof(PipelineCollection))]
public sealed class PipelineCollection : ICollectionFixture<PipelineMedia>;
