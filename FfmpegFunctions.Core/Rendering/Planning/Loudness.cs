using System.Globalization;
using System.Text.Json;
using FfmpegFunctions.Core.Compositions;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Two-pass loudnorm: measure the mix, then normalise it linearly with the measured values.</summary>
internal static class Loudness
{
    private const string LoudnessRange = "11";

    public static Filter Measure(LoudnessSpec target) => Filter.Of("loudnorm",
        ("I", Invariant.Number(target.Target)), ("TP", Invariant.Number(target.TruePeak)), ("LRA", LoudnessRange), ("print_format", "json"));

    /// <summary>loudnorm in linear mode (one gain for the whole mix), then back to the mix's sample rate (loudnorm works at 192 kHz).</summary>
    public static string Apply(LoudnessSpec target, Measured measured) =>
        Filter.Of("loudnorm",
            ("I", Invariant.Number(target.Target)), ("TP", Invariant.Number(target.TruePeak)), ("LRA", LoudnessRange),
            ("measured_I", measured.I), ("measured_TP", measured.Tp), ("measured_LRA", measured.Lra),
            ("measured_thresh", measured.Threshold), ("offset", measured.Offset), ("linear", "true"))
        + "," + Filter.Of("aresample", ("osr", Invariant.Number(ClipFilters.SampleRate)))
        + "," + Filter.Of("aformat", ("sample_fmts", "fltp"), ("channel_layouts", "stereo"));

    /// <summary>The JSON block loudnorm prints at the end of its first pass.</summary>
    /// <exception cref="InvalidOperationException">no measurement in the output (the pass did not finish).</exception>
    public static Measured Parse(string stderr)
    {
        var start = stderr.LastIndexOf('{');
        var end = stderr.LastIndexOf('}');
        if (start < 0 || end < start) throw new InvalidOperationException("The loudness pass printed no measurement.");
        using var json = JsonDocument.Parse(stderr[start..(end + 1)]);
        string Value(string name)
        {
            var text = json.RootElement.GetProperty(name).GetString() ?? "";
            // Silence measures as -inf: treat it as very quiet, so the gain stays finite (loudnorm clamps it anyway).
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)) value = -99;
            return Invariant.Number(value);
        }
        return new Measured(Value("input_i"), Value("input_tp"), Value("input_lra"), Value("input_thresh"), Value("target_offset"));
    }

    public sealed record Measured(string I, string Tp, string Lra, string Threshold, string Offset);
}
