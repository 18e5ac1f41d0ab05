namespace FfmpegFunctions.Core.Compositions;

// Spec v2 members. All optional: a document without them is a v1 document and renders as one.

public enum Easing { Linear, EaseIn, EaseOut, EaseInOut }

/// <summary>Ken Burns: the visible window moves from one framing to another over the clip.</summary>
public sealed record MotionSpec
{
    public MotionFrame From { get; init; } = new();
    public MotionFrame To { get; init; } = new() { Zoom = 1.2 };
    public Easing Easing { get; init; } = Easing.EaseInOut;
}

/// <summary>A framing: zoom 1 shows the whole frame; x and y place the window from 0 (left/top edge) to 1 (right/bottom edge).</summary>
public sealed record MotionFrame
{
    public double Zoom { get; init; } = 1;
    public double X { get; init; } = 0.5;
    public double Y { get; init; } = 0.5;
}

/// <summary>A video or still placed over the main track from <see cref="Start"/> (picture-in-picture). Video only: its sound is not used.</summary>
public sealed record LayerSpec
{
    public string Source { get; init; } = "";
    /// <summary>Seconds on the output timeline where the layer appears.</summary>
    public double Start { get; init; }
    /// <summary>Seconds on screen; required for still images; for video at most the trimmed length (which is the default).</summary>
    public double? Duration { get; init; }
    public TrimSpec? Trim { get; init; }
    public Position Position { get; init; } = Position.BottomRight;
    public int? X { get; init; }
    public int? Y { get; init; }
    public int Margin { get; init; } = 16;
    /// <summary>Width in pixels; with <see cref="Height"/> the layer fills that box by <see cref="Fit"/>, alone the height keeps the aspect ratio.</summary>
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>Width as a fraction of the output width (0-1), used when Width is absent. Default 0.3.</summary>
    public double? Scale { get; init; }
    public Fit Fit { get; init; } = Fit.Contain;
    public double Opacity { get; init; } = 1;
    public double FadeIn { get; init; }
    public double FadeOut { get; init; }
}

public enum CaptionPosition { Bottom, Top, Center }

/// <summary>Captions burnt in from an SRT or WebVTT file; cues are checked (with line numbers) when the inputs are probed.</summary>
public sealed record CaptionsSpec
{
    public string Source { get; init; } = "";
    public string Font { get; init; } = "DejaVu Sans";
    /// <summary>Pixels, at the output's height.</summary>
    public int FontSize { get; init; } = 36;
    /// <summary>#RRGGBB[AA] or one of the basic colour names (white, black, yellow, red, green, blue, cyan, magenta, gray, orange).</summary>
    public string Color { get; init; } = "white";
    public string OutlineColor { get; init; } = "black";
    /// <summary>Outline width in pixels; 0 for none.</summary>
    public int Outline { get; init; } = 2;
    /// <summary>An opaque box behind the text instead of an outline.</summary>
    public bool Box { get; init; }
    public string BoxColor { get; init; } = "#00000080";
    public CaptionPosition Position { get; init; } = CaptionPosition.Bottom;
    /// <summary>Pixels from the bottom or top edge (and the sides).</summary>
    public int Margin { get; init; } = 40;
}

public enum AudioRole { Voice, Music, Effect }

/// <summary>One sound on the timeline: a voice-over, an effect or music, from <see cref="Start"/>.</summary>
public sealed record AudioTrackSpec
{
    public string Source { get; init; } = "";
    /// <summary>Music ducks under voice; effects are mixed as they are.</summary>
    public AudioRole Role { get; init; } = AudioRole.Effect;
    /// <summary>Seconds on the output timeline where it starts.</summary>
    public double Start { get; init; }
    public TrimSpec? Trim { get; init; }
    /// <summary>Seconds it plays; default the trimmed length (looped music: to the end of the video).</summary>
    public double? Duration { get; init; }
    public double Volume { get; init; } = 1;
    public double FadeIn { get; init; }
    public double FadeOut { get; init; }
    /// <summary>Repeat the source until its duration (or the end of the video) is covered.</summary>
    public bool Loop { get; init; }
}

/// <summary>
/// Music (the bed and music tracks) is turned down by <see cref="Depth"/> dB while a voice track plays, reaching it
/// <see cref="Attack"/> seconds into the voice and coming back over <see cref="Release"/> seconds after it.
/// </summary>
public sealed record DuckingSpec
{
    /// <summary>dB; 0 turns ducking off.</summary>
    public double Depth { get; init; } = 12;
    public double Attack { get; init; } = 0.2;
    public double Release { get; init; } = 0.5;
}

/// <summary>EBU R128 target of the whole mix.</summary>
public sealed record LoudnessSpec
{
    /// <summary>Integrated loudness in LUFS (-16 suits streaming and podcasts, -23 broadcast).</summary>
    public double Target { get; init; } = -16;
    /// <summary>True-peak ceiling in dBTP.</summary>
    public double TruePeak { get; init; } = -1.5;
}
