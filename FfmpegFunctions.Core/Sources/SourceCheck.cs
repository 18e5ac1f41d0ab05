using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Sources;

/// <summary>
/// At creation, before anything is stored: every stored source exists (one HEAD, or one listing for an upload id, per
/// distinct source, all at once) and every URL source follows the scheme and address rules. URLs are not fetched here:
/// the render does that, so a slow or large source never holds a request open.
/// </summary>
public sealed class SourceCheck(IObjectStore objects, IOptions<SourceOptions> options)
{
    /// <returns>Errors keyed by the pointer of every member naming a bad source (empty when all are fine).</returns>
    /// <exception cref="TimeoutException">storage did not answer within Sources:CheckTimeout.</exception>
    public async Task<Dictionary<string, string[]>> CheckAsync(CompositionSpec spec, string tenant, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var bySource = SpecSources.Members(spec).GroupBy(m => m.Source, StringComparer.Ordinal).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CheckTimeout);
        string?[] problems;
        try
        {
            problems = await Task.WhenAll(bySource.Select(g => ProblemAsync(g.Key, tenant, settings, timeout.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Checking the sources took longer than {settings.CheckTimeout}.");
        }
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < bySource.Count; i++)
        {
            if (problems[i] is not { } problem) continue;
            foreach (var (_, pointer) in bySource[i]) errors[pointer] = [problem];
        }
        return errors;
    }

    private async Task<string?> ProblemAsync(string source, string tenant, SourceOptions settings, CancellationToken cancellationToken)
    {
        if (SourceUrl.IsUrl(source)) return await SourceUrl.CheckAsync(source, settings, cancellationToken);
        if (!settings.CheckStoredAtCreation) return null;
        if (Guid.TryParse(source, out var uploadId))
        {
            var prefix = StorageKeys.InputPrefix(tenant, uploadId);
            return (await objects.ListAsync(prefix, 2, cancellationToken)).Count switch
            {
                1 => null,
                0 => $"the upload '{source}' has no file (was it uploaded?).",
                _ => $"the upload '{source}' holds several files; name one by its key.",
            };
        }
        return await objects.GetInfoAsync(source, cancellationToken) is null ? $"the object '{source}' does not exist in storage." : null;
    }
}
