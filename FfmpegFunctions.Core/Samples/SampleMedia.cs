using System.Globalization;
using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Samples;

/// <summary>One generated test clip: an ffmpeg lavfi video source with a tone.</summary>
public sealed record SampleClip(string Name, string VideoSource, int ToneHz);

/// <summary>A generated sound for the sample's voice-over or music: a lavfi audio graph (ours, constant).</summary>
public sealed record SampleSound(string Name, string AudioSource);

/// <summary>
/// Short test-pattern clips generated with ffmpeg and kept in the bucket under
/// inputs/samples/{version}/, so a first-time user can render without owning any video.
/// Generated once: later calls find the objects and reuse them. The keys are fixed per version,
/// so two instances racing upload the same bytes to the same keys (idempotent).
/// </summary>
public sealed partial class SampleMedia(IObjectStore objects, FfmpegLocator ffmpeg, ChildProcessLauncher launcher, IOptions<FfmpegOptions> options, ILogger<SampleMedia> logger)
{
    /// <summary>Bump when the clips change so old objects are not reused.</summary>
    public const string Version = "v2";
    public const int Width = 640;
    public const int Height = 360;
    public const int Fps = 25;
    public const double Seconds = 2;

    public static readonly IReadOnlyList<SampleClip> Clips =
    [
        new("testsrc2.mp4", "testsrc2", 440),
        new("smptebars.mp4", "smptebars", 660),
    ];

    /// <summary>A "voice" (a warbling low tone) and a music bed, for the v2 sample's voice-over with ducking.</summary>
    public static readonly IReadOnlyList<SampleSound> Sounds =
    [
        new("voice.m4a", "sine=frequency=220:sample_rate=48000:duration=1.6,volume=volume='0.4+0.4*sin(2*PI*4*t)':eval=frame"),
        new("music.m4a", "sine=frequency=523:sample_rate=48000:duration=4,volume=volume=0.25"),
    ];

    public const string CaptionsName = "captions.srt";

    /// <summary>Two cues, one right-to-left, to show burnt-in captions.</summary>
    public const string CaptionsText = "1\n00:00:00,300 --> 00:00:01,700\nCaptions from an SRT upload\n\n2\n00:00:01,900 --> 00:00:03,300\nשלום · مرحبا · Hello\n";

    private readonly SemaphoreSlim gate = new(1, 1);

    public static string Key(SampleClip clip) => Key(clip.Name);

    public static string Key(string name) => $"{StorageKeys.InputsPrefix}samples/{Version}/{name}";

    /// <summary>Every sample object's key: the clips, the sounds, then the captions.</summary>
    public static IReadOnlyList<string> AllKeys() => [.. Clips.Select(Key), .. Sounds.Select(s => Key(s.Name)), Key(CaptionsName)];

    /// <summary>Makes sure every sample object is in the bucket and returns their keys, in <see cref="AllKeys"/> order.</summary>
    /// <exception cref="FfmpegException">ffmpeg could not generate a clip.</exception>
    public async Task<IReadOnlyList<string>> EnsureAsync(CancellationToken cancellationToken)
    {
        var keys = AllKeys();
        if (await AllPresentAsync(keys, cancellationToken)) return keys;

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await AllPresentAsync(keys, cancellationToken)) return keys;
            var directory = Path.Combine(options.Value.TempDirectory, "ffmpegfunctions-samples", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                foreach (var clip in Clips)
                {
                    var file = Path.Combine(directory, clip.Name);
                    await GenerateAsync(Arguments(clip, file), cancellationToken);
                    await objects.UploadFileAsync(Key(clip), file, "video/mp4", cancellationToken);
                }
                foreach (var sound in Sounds)
                {
                    var file = Path.Combine(directory, sound.Name);
                    await GenerateAsync(["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", sound.AudioSource, "-c:a", "aac", "-b:a", "96k", file], cancellationToken);
                    await objects.UploadFileAsync(Key(sound.Name), file, "audio/mp4", cancellationToken);
                }
                var captions = Path.Combine(directory, CaptionsName);
                await File.WriteAllTextAsync(captions, CaptionsText, cancellationToken);
                await objects.UploadFileAsync(Key(CaptionsName), captions, "application/x-subrip", cancellationToken);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
            LogGenerated(logger, keys.Count, Version);
            return keys;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> AllPresentAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            if (await objects.GetInfoAsync(key, cancellationToken) is null) return false;
        }
        return true;
    }

    /// <summary>The ffmpeg arguments for one clip (a list, never a shell string).</summary>
    public static IReadOnlyList<string> Arguments(SampleClip clip, string output)
    {
        var seconds = Seconds.ToString(CultureInfo.InvariantCulture);
        return
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"{clip.VideoSource}=size={Width}x{Height}:rate={Fps}:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency={clip.ToneHz}:sample_rate=48000:duration={seconds}",
            "-map", "0:v", "-map", "1:a", "-shortest",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-ac", "2", "-b:a", "96k",
            "-movflags", "+faststart",
            output,
        ];
    }

    private async Task GenerateAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = await FfmpegProcess.StartAsync(launcher, ffmpeg.GetFfmpegPath(), arguments, null, _ => { }, keepInputOpen: false, cancellationToken);
        var exitCode = await process.WaitForExitAsync(options.Value.KillTimeout, logger, cancellationToken);
        if (exitCode != 0) throw new FfmpegException(exitCode, process.StderrTail);
    }

    [LoggerMessage(EventId = CoreEvents.SamplesGenerated, Level = LogLevel.Information, Message = "Generated {Count} sample objects ({Version}) into the bucket")]
    private static partial void LogGenerated(ILogger logger, int count, string version);
}
