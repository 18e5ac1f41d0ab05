using System.Text.Json.Serialization;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// What a client POSTs. Field docs live in docs/composition-spec.md. Spec v2 only adds optional members
/// (layers, captions, speed, motion, fades, preview), so every v1 document keeps its meaning and its plan.
/// </summary>
public sealed record CompositionSpec
{
    public string? Title { get; init; }
    public Priority Priority { get; init; } = Priority.Default;
    public OutputSpec Output { get; init; } = new();
    public IReadOnlyList<ClipSpec> Clips { get; init; } = [];
    public AudioSpec? Audio { get; init; }
    public IReadOnlyList<OverlaySpec> Overlays { get; init; } = [];
    /// <summary>Videos or images placed over the main track at their own times (picture-in-picture), stacked in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; init; } = [];
    /// <summary>Subtitles burnt into the video from an uploaded SRT or WebVTT file.</summary>
    public CaptionsSpec? Captions { get; init; }
    /// <summary>Voice-over, effects and music items placed on the timeline, mixed with the clips' sound and the music bed.</summary>
    public IReadOnlyList<AudioTrackSpec> AudioTracks { get; init; } = [];
    /// <summary>How music (the bed and music tracks) ducks under voice tracks.</summary>
    public DuckingSpec Ducking { get; init; } = new();
    public ThumbnailSpec Thumbnail { get; init; } = new();
    /// <summary>An absolute http(s) URL that receives a signed POST when the render completes or fails (docs/webhooks.md).</summary>
    public string? CallbackUrl { get; init; }
}

public enum Priority { High, Default, Low }

public enum OutputFormat { Mp4, Webm, Gif }

public enum Fit { Contain, Cover, Blur }

public enum Position { TopLeft, Top, TopRight, Left, Center, Right, BottomLeft, Bottom, BottomRight }

public sealed record OutputSpec
{
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    /// <summary>Frames per second; fractional rates such as 29.97 are allowed.</summary>
    public double Fps { get; init; } = 30;
    public OutputFormat Format { get; init; } = OutputFormat.Mp4;
    /// <summary>CRF; lower is better. Defaults per codec when absent.</summary>
    public int? Quality { get; init; }
    /// <summary>Encoder speed preset (x264 names: ultrafast .. veryslow).</summary>
    public string Preset { get; init; } = "veryfast";
    /// <summary>Audio bitrate in kbit/s.</summary>
    public int AudioBitrate { get; init; } = 128;
    /// <summary>A fast low-resolution draft: at most 360 lines, at most 15 fps, ultrafast, lower quality, no loudness pass.</summary>
    public bool Preview { get; init; }
    /// <summary>Two-pass EBU R128 loudness normalisation of the whole mix; null leaves levels as mixed.</summary>
    public LoudnessSpec? Loudness { get; init; }
}

public sealed record ClipSpec
{
    /// <summary>An object key in the bucket (e.g. inputs/{uploadId}/clip.mp4) or an upload id.</summary>
    public string Source { get; init; } = "";
    public TrimSpec? Trim { get; init; }
    /// <summary>Seconds; required for still images, optional cap for video.</summary>
    public double? Duration { get; init; }
    public Fit Fit { get; init; } = Fit.Contain;
    public double Volume { get; init; } = 1;
    public bool Mute { get; init; }
    /// <summary>Transition from this clip into the next one.</summary>
    public TransitionSpec? Transition { get; init; }
    /// <summary>Playback speed, 0.25 to 4: video and sound together, pitch kept. Trims are in source time.</summary>
    public double Speed { get; init; } = 1;
    /// <summary>Seconds of fade from black (and silence) at the clip's start.</summary>
    public double FadeIn { get; init; }
    /// <summary>Seconds of fade to black (and silence) at the clip's end.</summary>
    public double FadeOut { get; init; }
    /// <summary>Ken Burns zoom and pan over the clip.</summary>
    public MotionSpec? Motion { get; init; }
}

public sealed record TrimSpec
{
    public double Start { get; init; }
    /// <summary>Absent means the end of the source.</summary>
    public double? End { get; init; }
}

public sealed record TransitionSpec
{
    /// <summary>One of <see cref="TransitionTypes.Supported"/> (ffmpeg xfade names).</summary>
    public string Type { get; init; } = "fade";
    public double Duration { get; init; } = 0.5;
}

public sealed record AudioSpec
{
    public string Source { get; init; } = "";
    public double Volume { get; init; } = 1;
    public double FadeIn { get; init; }
    public double FadeOut { get; init; }
    /// <summary>Repeat the music until it covers the whole video.</summary>
    public bool Loop { get; init; } = true;
    /// <summary>Level of the clips' own sound under the music: 1 keeps it, 0 silences it, between ducks it.</summary>
    public double ClipAudio { get; init; } = 1;
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ImageOverlaySpec), "image")]
[JsonDerivedType(typeof(TextOverlaySpec), "text")]
public abstract record OverlaySpec
{
    public Position Position { get; init; } = Position.TopLeft;
    /// <summary>Pixel offsets; when set they replace the preset's coordinate on that axis.</summary>
    public int? X { get; init; }
    public int? Y { get; init; }
    /// <summary>Pixels from the edge used by presets.</summary>
    public int Margin { get; init; } = 16;
    public double Start { get; init; }
    /// <summary>Absent means the end of the timeline.</summary>
    public double? End { get; init; }
    public double FadeIn { get; init; }
    public double FadeOut { get; init; }
}

public sealed record ImageOverlaySpec : OverlaySpec
{
    public string Source { get; init; } = "";
    /// <summary>Width in pixels (height keeps the aspect ratio).</summary>
    public int? Width { get; init; }
    /// <summary>Width as a fraction of the output width (0-1), used when Width is absent.</summary>
    public double? Scale { get; init; }
    public double Opacity { get; init; } = 1;
}

public sealed record TextOverlaySpec : OverlaySpec
{
    public string Text { get; init; } = "";
    public int FontSize { get; init; } = 48;
    /// <summary>An ffmpeg colour: a name (white) or #RRGGBB[AA].</summary>
    public string Color { get; init; } = "white";
    /// <summary>A fontconfig family name, e.g. "DejaVu Sans".</summary>
    public string Font { get; init; } = "DejaVu Sans";
    public bool Box { get; init; }
    public string BoxColor { get; init; } = "black@0.5";
}

public sealed record ThumbnailSpec
{
    /// <summary>Seconds into the output; absent means <see cref="DefaultTime"/>, which always fits the video.</summary>
    public double? Time { get; init; }

    /// <summary>The default poster frame: 1 s in, or half way for a video shorter than 2 s.</summary>
    public static double DefaultTime(double videoSeconds) => Math.Min(1, videoSeconds / 2);

    /// <summary>Absent means the output width capped at 640.</summary>
    public int? Width { get; init; }
}
