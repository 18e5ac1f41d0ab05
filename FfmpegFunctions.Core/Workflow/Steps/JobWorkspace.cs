using System.Security.Cryptography;
using System.Text;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Workflow.Steps;

/// <summary>
/// A job's local folder on this machine (under this process's Render:WorkDirectory): downloaded inputs, parts and the
/// output. Local disk never outlives a step's usefulness: what later steps need is parked in storage.
/// </summary>
public sealed partial class JobWorkspace(IObjectStore objects, IOptions<RenderOptions> options, ILogger<JobWorkspace> logger)
{
    public string JobDirectory(string jobId) => Path.Combine(options.Value.WorkDirectory, SafeName(jobId));

    /// <summary>Where the job's output (and thumbnail) is written; the folder exists.</summary>
    public string OutputPath(string jobId, string extension)
    {
        var outDir = Path.Combine(JobDirectory(jobId), "out");
        Directory.CreateDirectory(outDir);
        return Path.Combine(outDir, "final." + extension);
    }

    /// <summary>Local file names derive from a hash of the key, so no key can steer a path.</summary>
    public string LocalPath(string jobId, string key)
    {
        var extension = Path.GetExtension(key);
        if (extension.Length > 8 || !extension.Skip(1).All(char.IsAsciiLetterOrDigit)) extension = "";
        return Path.Combine(JobDirectory(jobId), "inputs", SafeName(key) + extension);
    }

    /// <summary>The object's local copy, downloaded unless this machine has it already.</summary>
    public Task<string> EnsureLocalAsync(string jobId, string key, CancellationToken cancellationToken) =>
        EnsureLocalAsync(jobId, key, pointer: null, cancellationToken);

    /// <param name="pointer">The spec member that names the object, put before the error when it is missing.</param>
    public async Task<string> EnsureLocalAsync(string jobId, string key, string? pointer, CancellationToken cancellationToken)
    {
        var path = LocalPath(jobId, key);
        if (File.Exists(path)) return path;
        try
        {
            await objects.DownloadToFileAsync(key, path, cancellationToken);
        }
        catch (ObjectNotFoundException ex)
        {
            var at = pointer is null ? "" : pointer + ": ";
            throw new PermanentStepException($"{at}The input object '{key}' does not exist in storage.", ex);
        }
        return path;
    }

    /// <summary>Removes the job's local folder (input copies, parts) on this machine only.</summary>
    public void DeleteLocalCopies(string jobId)
    {
        var dir = JobDirectory(jobId);
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException ex) { LogCleanupFailed(logger, ex, dir); }
    }

    private static string SafeName(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..24];

    [LoggerMessage(EventId = CoreEvents.WorkFolderNotRemoved, Level = LogLevel.Warning, Message = "Could not remove the work folder {Directory}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string directory);
}
