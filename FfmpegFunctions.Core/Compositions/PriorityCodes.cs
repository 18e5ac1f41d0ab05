namespace FfmpegFunctions.Core.Compositions;

/// <summary>Priority as stored: a small number that sorts the way workers claim (high first).</summary>
public static class PriorityCodes
{
    public static short ToCode(Priority priority) => priority switch
    {
        Priority.High => 0,
        Priority.Low => 2,
        _ => 1,
    };

    public static string ToName(short code) => code switch
    {
        0 => "high",
        2 => "low",
        _ => "default",
    };
}
