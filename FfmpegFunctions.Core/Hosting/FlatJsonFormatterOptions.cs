using Microsoft.Extensions.Logging.Console;

namespace FfmpegFunctions.Core.Hosting;

public sealed class FlatJsonFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The "service" field of every line.</summary>
    public string Service { get; set; } = "ffmpegfunctions";
}
