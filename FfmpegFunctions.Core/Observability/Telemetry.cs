using System.Diagnostics;

namespace FfmpegFunctions.Core.Observability;

/// <summary>The service's own spans (workflow, steps, ffmpeg, storage). One source per process, as the .NET guidance has it.</summary>
public static class Telemetry
{
    public const string SourceName = "FfmpegFunctions";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Marks a span failed with the exception's message (spans are null when nobody listens).</summary>
    public static void Fail(this Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
