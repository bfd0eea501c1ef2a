using System.Runtime.InteropServices;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// Writes a small file with as few system calls as the platform allows. A corpus of a million tiny files is almost
/// nothing but system calls: on Linux this is open, write, close (three), where a <see cref="FileStream"/> or a file
/// handle from <see cref="File.OpenHandle"/> adds two <c>flock</c>s, an <c>fstatfs</c>, an <c>ftruncate</c> and an
/// <c>lseek</c> (measured with <c>strace -c</c>: eight calls a file).
/// </summary>
internal static class TinyFile
{
    // Linux's open(2) flags (the same on x86-64 and arm64).
    private const int WriteOnly = 0x1, Create = 0x40, Truncate = 0x200, CloseOnExec = 0x80000;

    /// <summary>Creates or replaces <paramref name="path"/> with the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    public static void Write(string path, byte[] buffer, int length)
    {
        if (!OperatingSystem.IsLinux())
        {
            File.WriteAllBytes(path, buffer.AsSpan(0, length));
            return;
        }

        var fd = Open(path, WriteOnly | Create | Truncate | CloseOnExec, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            throw new IOException($"cannot create {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (WriteBytes(fd, buffer, length) != length)
            {
                throw new IOException($"cannot write {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint WriteBytes(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
