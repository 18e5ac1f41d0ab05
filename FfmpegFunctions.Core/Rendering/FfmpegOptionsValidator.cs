using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>Fails start-up when a configured binary cannot be found, naming the setting to fix.</summary>
internal sealed class FfmpegOptionsValidator : IValidateOptions<FfmpegOptions>
{
    public ValidateOptionsResult Validate(string? name, FfmpegOptions options)
    {
        var failures = new List<string>();
        Check(options.FfmpegPath, "Ffmpeg:FfmpegPath", failures);
        Check(options.FfprobePath, "Ffmpeg:FfprobePath", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string configured, string setting, List<string> failures)
    {
        // Empty values are reported by the data annotations; don't repeat them here.
        if (string.IsNullOrWhiteSpace(configured)) return;
        if (FfmpegLocator.Resolve(configured) is null)
        {
            failures.Add($"{setting} '{configured}' was not found: set {setting} to an existing file or to a name on PATH.");
        }
    }
}
