using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>
/// Opens an input for reading only if it is a regular file. A named pipe blocks <c>open()</c> until a writer comes
/// and a device reads forever, so the type is decided by the handle itself: the open does not block
/// (<c>O_NONBLOCK</c>), and the opened node is checked with <c>fstat</c> before a byte is read. Whatever the path
/// pointed at when the walk saw it, or whatever a link was swapped for since, only a regular file is ever read.
/// </summary>
internal static class RegularFile
{
    private const int OReadOnly = 0;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int LockShared = 1;
    private const int LockNonBlocking = 4;
    private const int Interrupted = 4; // EINTR

    /// <summary>Opens <paramref name="path"/> for reading, with a shared lock (a writer holding an exclusive one makes this fail as busy, which is retried).</summary>
    /// <returns>The handle and the size of the file opened.</returns>
    /// <exception cref="NotRegularFileException">The path names something other than a regular file.</exception>
    /// <exception cref="IOException">The file cannot be opened; the message says why.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static SafeFileHandle OpenRead(string path, out long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            var opened = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = RandomAccess.GetLength(opened);
            return opened;
        }

        var fd = Open(path, OReadOnly | ONonBlock | OCloExec | ONoCtty, 0);
        if (fd < 0)
        {
            throw OpenError(path, Marshal.GetLastPInvokeError());
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!FileNode.TryGet(handle, out var node))
            {
                throw new IOException($"cannot inspect the opened file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            if (node.Kind != FileNodeKind.Regular)
            {
                throw new NotRegularFileException(node.Kind);
            }

            if (Flock(fd, LockShared | LockNonBlocking) != 0 && Marshal.GetLastPInvokeError() is 11 and var busy)
            {
                throw new IOException("the file is locked by another program", busy);
            }

            length = node.Length;
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads into <paramref name="buffer"/> from <paramref name="offset"/> (<c>pread</c>); returns the bytes read, 0 at
    /// the end. On Linux it reads the descriptor directly: <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>
    /// first asks the kernel whether a handle it did not open can seek (an <c>lseek</c>), one system call more per file,
    /// a visible share of checking many small files.
    /// </summary>
    /// <exception cref="IOException">The read failed; the message says why.</exception>
    public static unsafe int Read(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return RandomAccess.Read(handle, buffer, offset); // where off_t may be 32 bits, pread's offset is not a long
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    Marshal.SetLastSystemError(0);
                    var n = Pread(fd, start, buffer.Length, offset);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    var errno = Marshal.GetLastSystemError();
                    if (errno != Interrupted)
                    {
                        throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The exception a failed open is reported as, from its <c>errno</c>.</summary>
    internal static Exception OpenError(string path, int errno) => errno switch
    {
        2 when FileNames.HasUndecodableBytes(path) => new IOException(FileNames.NotUtf8Reason),
        2 => new FileNotFoundException("file not found (it was removed during the run?)", path),
        20 => new DirectoryNotFoundException("file not found (a folder on its path was removed during the run?)"),
        1 or 13 => new UnauthorizedAccessException("permission denied"),
        6 => new NotRegularFileException(FileNodeKind.Socket),
        36 => new PathTooLongException("file name too long"),
        40 => new IOException("symbolic link loop"),
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
    };

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA2101 // On Unix strings marshal as UTF-8, which is what the kernel expects.
    private static extern int Open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);
#pragma warning restore CA2101

    // Blittable, errno read by the caller: no marshalling stub to compile at run time.
    [DllImport("libc", EntryPoint = "pread")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe nint Pread(int fd, byte* buffer, nint count, long offset);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Flock(int fd, int operation);
}
