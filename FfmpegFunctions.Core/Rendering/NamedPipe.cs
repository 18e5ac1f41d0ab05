using System.Runtime.InteropServices;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>Creates a POSIX FIFO, through which one ffmpeg streams a work file to another that runs alongside it.</summary>
internal static class NamedPipe
{
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Plans with alongside passes need a POSIX FIFO (Linux or macOS).");
        // 0600: only this worker's ffmpeg processes read and write it.
        if (MakeFifo(path, 0x180) != 0)
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
