using Microsoft.Extensions.Logging;

namespace FfmpegFunctions.Core.Workflow;

/// <summary>
/// This process's own folder under Render:WorkDirectory (<c>instance-&lt;id&gt;</c>), held through an exclusive lock on
/// <c>instance-&lt;id&gt;.lock</c> beside it for as long as the process lives. The kernel drops the lock when the
/// process ends, however it ends, so a folder whose lock can be taken belongs to no live process: whatever is in it, a
/// crash or a kill left. Claiming sweeps every such folder, not only one with this id (the default id is new at every
/// start, so waiting for the same id to come back would keep a crash's downloads forever).
/// </summary>
/// <remarks>
/// Claimed when first resolved, before any step can put a file in it. The lock file is taken before the folder is
/// made, so a folder without one is never a live instance's. On Linux .NET takes <c>flock</c> for FileShare.None; two
/// processes on one machine (or two hosts in one test process) exclude each other through it.
/// </remarks>
public sealed partial class InstanceWorkFolder : IDisposable
{
    public const string Prefix = "instance-";
    private const string LockExtension = ".lock";
    private readonly FileStream ownLock;

    /// <exception cref="InvalidOperationException">A live process already works under this instance id.</exception>
    public InstanceWorkFolder(string root, string instanceId, ILogger<InstanceWorkFolder> logger)
    {
        var name = Prefix + string.Concat(instanceId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        Path = System.IO.Path.Combine(root, name);
        Directory.CreateDirectory(root);
        ownLock = TryLock(Path + LockExtension)
            ?? throw new InvalidOperationException($"Another live process works under the instance id '{instanceId}' in '{root}'; give each process its own Workflow:InstanceId.");
        // Fresh: anything in our own folder is a previous life's.
        Remove(Path, logger);
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            if (folder == Path) continue;
            var lockPath = folder + LockExtension;
            FileStream? theirs = null;
            if (File.Exists(lockPath) && (theirs = TryLock(lockPath, create: false)) is null) continue; // alive
            using (theirs)
            {
                Remove(folder, logger);
                if (theirs is not null) Delete(lockPath, logger);
            }
            LogOrphanRemoved(logger, folder);
        }
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder this process works in.</summary>
    public string Path { get; }

    public void Dispose() => ownLock.Dispose();

    /// <returns>The held lock, or null when a live process holds it (or, not creating, it is gone).</returns>
    private static FileStream? TryLock(string path, bool create = true)
    {
        try
        {
            return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Remove(string folder, ILogger logger)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { LogRemoveFailed(logger, ex, folder); }
    }

    private static void Delete(string file, ILogger logger)
    {
        try { File.Delete(file); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { LogRemoveFailed(logger, ex, file); }
    }

    [LoggerMessage(EventId = CoreEvents.OrphanFolderRemoved, Level = LogLevel.Information, Message = "Removed {Folder}: no live process owns it (left by a crash or a kill)")]
    private static partial void LogOrphanRemoved(ILogger logger, string folder);

    [LoggerMessage(EventId = CoreEvents.OrphanFolderNotRemoved, Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string path);
}
