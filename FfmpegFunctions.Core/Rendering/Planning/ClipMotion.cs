using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// Spec v2's per-clip time and motion: speed (setpts + an atempo chain, which keeps pitch), Ken Burns
/// (zoompan, one output frame per input frame) and fades. Each returns nothing for the v1 defaults, so a
/// v1 clip's filters are exactly what they were.
/// </summary>
internal static class ClipMotion
{
    /// <summary>Timestamps from zero, stretched or squeezed by the speed.</summary>
    public static Filter Timestamps(double speed) =>
        Filter.Of("setpts", ("expr", speed == 1 ? "PTS-STARTPTS" : $"(PTS-STARTPTS)/{Invariant.Number(speed)}"));

    /// <summary>atempo takes 0.5 to 100 per instance, so slower than half speed is a chain of halvings.</summary>
    public static IEnumerable<Filter> Tempo(double speed)
    {
        if (speed == 1) yield break;
        var remaining = speed;
        while (remaining < 0.5)
        {
            yield return Filter.Of("atempo", ("tempo", "0.5"));
            remaining /= 0.5;
        }
        yield return Filter.Of("atempo", ("tempo", Invariant.Number(remaining)));
    }

    public static IEnumerable<Filter> VideoFades(double fadeIn, double fadeOut, double length)
    {
        if (fadeIn > 0) yield return Filter.Of("fade", ("t", "in"), ("st", "0"), ("d", Invariant.Seconds(Math.Min(fadeIn, length))));
        if (fadeOut > 0)
        {
            var d = Math.Min(fadeOut, length);
            yield return Filter.Of("fade", ("t", "out"), ("st", Invariant.Seconds(length - d)), ("d", Invariant.Seconds(d)));
        }
    }

    public static IEnumerable<Filter> AudioFades(double fadeIn, double fadeOut, double length)
    {
        if (fadeIn > 0) yield return Filter.Of("afade", ("t", "in"), ("st", "0"), ("d", Invariant.Seconds(Math.Min(fadeIn, length))));
        if (fadeOut > 0)
        {
            var d = Math.Min(fadeOut, length);
            yield return Filter.Of("afade", ("t", "out"), ("st", Invariant.Seconds(length - d)), ("d", Invariant.Seconds(d)));
        }
    }

    /// <summary>
    /// zoompan on the output-sized frame: with d=1 each input frame gives one output frame, so video keeps
    /// playing; the window's zoom and position move from <c>from</c> to <c>to</c> along the easing.
    /// </summary>
    public static Filter KenBurns(MotionSpec motion, long frames, OutputSpec output, FrameRate rate)
    {
        var p = frames > 1 ? $"(on/{Invariant.Number(frames - 1)})" : "1";
        var e = motion.Easing switch
        {
            Easing.Linear => p,
            Easing.EaseIn => $"({p}*{p})",
            Easing.EaseOut => $"(1-(1-{p})*(1-{p}))",
            _ => $"if(lt({p},0.5),2*{p}*{p},1-2*(1-{p})*(1-{p}))",
        };
        string Between(double a, double b) => a == b ? Invariant.Number(a) : $"({Invariant.Number(a)}+({Invariant.Number(b - a)})*{e})";
        return Filter.Of("zoompan",
            ("z", Between(motion.From.Zoom, motion.To.Zoom)),
            ("x", $"(iw-iw/zoom)*{Between(motion.From.X, motion.To.X)}"),
            ("y", $"(ih-ih/zoom)*{Between(motion.From.Y, motion.To.Y)}"),
            ("d", "1"),
            ("s", $"{Invariant.Number(output.Width)}x{Invariant.Number(output.Height)}"),
            ("fps", rate.ToString()));
    }
}
