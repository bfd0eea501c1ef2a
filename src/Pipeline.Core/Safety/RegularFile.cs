using System.Runtime.CompilerServices;
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
    private const int Interrupted = 4; // EINTR

    /// <summary>Opens <paramref name="path"/> for reading, with a shared lock (a writer holding an exclusive one makes this fail as busy, which is retried).</summary>
    /// <returns>The handle and the size of the file opened.</returns>
    /// <exception cref="NotRegularFileException">The path names something other than a regular file.</exception>
    /// <exception cref="IOException">The file cannot be opened; the message says why.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static SafeFileHandle OpenRead(string path, out long length)
    {
        var handle = OpenRead(path, noFollow: false, out var node);
        length = node.Length;
        return handle;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading as <see cref="OpenRead(string, out long)"/> does; with
    /// <paramref name="noFollow"/>, a symbolic link as its last part is refused as "changed during the run" (the walk saw
    /// a file there, or it would not be read: a link put in its place since is never followed).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="noFollow">Whether a final symbolic link is refused rather than followed.</param>
    /// <param name="node">What was opened (device, inode, size, time, permissions); its size alone where identities are not known.</param>
    /// <inheritdoc cref="OpenRead(string, out long)"/>
    public static SafeFileHandle OpenRead(string path, bool noFollow, out FileNode node)
    {
        if (!OperatingSystem.IsLinux())
        {
            var opened = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            node = new FileNode(0, 0, FileNodeKind.Regular, RandomAccess.GetLength(opened), default);
            return opened;
        }

        var fd = Open(OpenFlags.AtFdCwd, path, Flags(noFollow), out var errno);
        return Checked(fd, errno, path, noFollow, out node);
    }

    /// <summary>
    /// Opens the file named <paramref name="name"/> in the folder open as <paramref name="folder"/> (<c>openat</c>), as
    /// <see cref="OpenRead(string, out long)"/> opens a path: the kernel resolves one name instead of the whole path.
    /// </summary>
    /// <param name="folder">The folder, open (see <see cref="FolderHandles"/>).</param>
    /// <param name="name">The file's name in it.</param>
    /// <param name="path">The file's whole path, for messages.</param>
    /// <param name="noFollow">Whether a symbolic link named <paramref name="name"/> is refused rather than followed.</param>
    /// <param name="node">What was opened.</param>
    /// <inheritdoc cref="OpenRead(string, bool, out FileNode)"/>
    /// <exception cref="ObjectDisposedException"><paramref name="folder"/> was closed.</exception>
    public static SafeFileHandle OpenReadAt(SafeFileHandle folder, ReadOnlySpan<char> name, string path, bool noFollow, out FileNode node)
    {
        int fd;
        int errno;
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            fd = Open((int)folder.DangerousGetHandle(), name, Flags(noFollow), out errno);
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }

        return Checked(fd, errno, path, noFollow, out node);
    }

    private static int Flags(bool noFollow) => OpenFlags.ReadOnly | OpenFlags.NonBlock | OpenFlags.CloExec | OpenFlags.NoCtty | (noFollow ? OpenFlags.NoFollow : 0);

    /// <summary>Opens a folder to open files relative to (<c>O_PATH</c>: no read of it, just a handle); <see langword="null"/> if it cannot be.</summary>
    public static SafeFileHandle? OpenFolder(ReadOnlySpan<char> path)
    {
        if (!OperatingSystem.IsLinux() || path.Contains('\0'))
        {
            return null;
        }

        var fd = Open(OpenFlags.AtFdCwd, path, OpenFlags.PathOnly | OpenFlags.Directory | OpenFlags.CloExec, out _);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary><c>openat</c> of <paramref name="path"/> (relative to <paramref name="dirfd"/>): the descriptor, or -1 and the <c>errno</c>, read right after the call; <paramref name="mode"/> for a file it creates.</summary>
    [SkipLocalsInit] // its stack buffer is written by the encoder before the kernel reads it
    internal static unsafe int Open(int dirfd, ReadOnlySpan<char> path, int flags, out int errno, int mode = 0)
    {
        using var native = new NativePath(path, stackalloc byte[1024]);
        fixed (byte* p = native.Bytes)
        {
            var fd = OpenAt(dirfd, p, flags, mode);
            errno = fd < 0 ? Marshal.GetLastSystemError() : 0;
            return fd;
        }
    }

    /// <summary>The descriptor an open returned, checked: an error as the exception that says it, a node other than a regular file refused, a shared lock taken.</summary>
    private static SafeFileHandle Checked(int fd, int errno, string path, bool noFollow, out FileNode node)
    {
        if (fd < 0)
        {
            // O_NOFOLLOW refuses a link with ELOOP: the walk saw no link there (or it would not be read).
            throw noFollow && errno == 40 ? ChangedDuringTheRun.Replacement() : OpenError(path, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!FileNode.TryGet(handle, out node))
            {
                throw new IOException($"cannot inspect the opened file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}");
            }

            if (node.Kind != FileNodeKind.Regular)
            {
                throw new NotRegularFileException(node.Kind);
            }

            if (Flock(fd, OpenFlags.LockShared | OpenFlags.LockNonBlocking) != 0 && Marshal.GetLastSystemError() is 11 and var busy)
            {
                throw new IOException("the file is locked by another program", busy);
            }

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
        2 when FileNames.HasUndecodableBytes(path) => new UnusableNameException(),
        2 => new FileNotFoundException("file not found (it was removed during the run?)", path),
        20 => new DirectoryNotFoundException("file not found (a folder on its path was removed during the run?)"),
        1 or 13 => new UnauthorizedAccessException("permission denied"),
        6 => new NotRegularFileException(FileNodeKind.Socket),
        36 => new PathTooLongException("file name too long") { HResult = IO.FileErrors.NameTooLongErrno },
        40 => new IOException("symbolic link loop"),
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
    };

    // Blittable, errno read by the caller (Marshal.GetLastSystemError, right after): no marshalling stub to compile at run time.
    [DllImport("libc", EntryPoint = "openat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe int OpenAt(int dirfd, byte* path, int flags, int mode);

    // Blittable, errno read by the caller: no marshalling stub to compile at run time.
    [DllImport("libc", EntryPoint = "pread")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe nint Pread(int fd, byte* buffer, nint count, long offset);

    [DllImport("libc", EntryPoint = "flock")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Flock(int fd, int operation);
}
