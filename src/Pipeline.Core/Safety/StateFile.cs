using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>
/// Opens the tool's own files (the lock and its process id, the journal, a shard's record, the log) and makes its own
/// folders (<c>.pipeline</c>, the output folder). A hostile tree or output folder may hold a link to a file elsewhere,
/// a named pipe or a device where one of them belongs; opened as a path, a link would be written through (a run as
/// root overwriting whatever it points at) and a pipe would block the run for ever. So nothing here follows a final
/// link (<c>O_NOFOLLOW</c>) or blocks on an open (<c>O_NONBLOCK</c>), and what was opened is checked with <c>fstat</c>
/// to be a regular file before a byte is read or written. Anything else is an <see cref="UnusablePathException"/>: a
/// configuration error, naming the path and what it is.
/// </summary>
internal static partial class StateFile
{
    private const int NoSuchFile = 2; // ENOENT
    private const int Exists = 17; // EEXIST

    /// <summary>rw-rw-rw- before the umask, as <see cref="FileStream"/> creates files.</summary>
    private const int CreateMode = 0x1B6;

    /// <summary>
    /// Opens the tool's own file <paramref name="path"/> (<see cref="FileMode.Open"/>, <see cref="FileMode.OpenOrCreate"/>,
    /// <see cref="FileMode.Create"/> or <see cref="FileMode.Append"/>), never through a link and never blocking.
    /// </summary>
    /// <exception cref="FileNotFoundException">With <see cref="FileMode.Open"/>, there is no such file.</exception>
    /// <exception cref="UnusablePathException">It is not a regular file, or it cannot be opened (the message says why).</exception>
    public static SafeFileHandle Open(string path, FileMode mode, FileAccess access)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, mode, access, FileShare.ReadWrite | FileShare.Delete);
        }

        // Looked at first, so a device or a pipe is refused without being opened at all; the fstat below is what makes
        // it safe against a swap in between.
        if (FileNode.TryGet(path, followLink: false, out var seen, out _) && seen.Kind != FileNodeKind.Regular)
        {
            throw UnusablePathException.NotRegular(path, seen.Kind);
        }

        var flags = (access switch { FileAccess.Read => OpenFlags.ReadOnly, FileAccess.Write => OpenFlags.WriteOnly, _ => OpenFlags.ReadWrite })
            | (mode switch { FileMode.Open => 0, FileMode.Create => OpenFlags.Create | OpenFlags.Truncate, FileMode.Append => OpenFlags.Create | OpenFlags.Append, _ => OpenFlags.Create })
            | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.CloExec | OpenFlags.NoCtty;
        var fd = RegularFile.Open(OpenFlags.AtFdCwd, path, flags, out var errno, CreateMode);
        if (fd < 0)
        {
            throw errno == NoSuchFile && mode == FileMode.Open
                ? new FileNotFoundException("file not found", path)
                : OpenFailed(path, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (FileNode.TryGet(handle, out var opened) && opened.Kind != FileNodeKind.Regular)
        {
            handle.Dispose();
            throw UnusablePathException.NotRegular(path, opened.Kind);
        }

        return handle;
    }

    /// <summary>Opens the existing file <paramref name="path"/> as <see cref="Open"/> does; <see langword="null"/> if there is none.</summary>
    /// <exception cref="UnusablePathException">It is not a regular file, or it cannot be opened.</exception>
    public static SafeFileHandle? OpenExisting(string path, FileAccess access)
    {
        try
        {
            return Open(path, FileMode.Open, access);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A stream over <see cref="Open"/>'s handle (unbuffered when <paramref name="bufferSize"/> is 0).</summary>
    public static FileStream OpenStream(string path, FileMode mode, FileAccess access, int bufferSize = 4096) =>
        new(Open(path, mode, access), access, bufferSize);

    /// <summary>The whole content of the tool's own file <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="UnusablePathException">It is not a regular file, or it cannot be opened.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = OpenStream(path, FileMode.Open, FileAccess.Read, bufferSize: 0);
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return content.ToArray();
    }

    /// <summary>Replaces the content of the tool's own file <paramref name="path"/> (created if missing) with <paramref name="text"/>.</summary>
    /// <exception cref="UnusablePathException">It is not a regular file, or it cannot be written.</exception>
    public static void WriteAllText(string path, string text)
    {
        using var stream = OpenStream(path, FileMode.Create, FileAccess.Write, bufferSize: 0);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Opens the folder <paramref name="name"/> in the folder open as <paramref name="parent"/>, not through a link; <see langword="null"/> if it is not a folder.</summary>
    public static SafeFileHandle? OpenFolderAt(SafeFileHandle parent, string name) =>
        OpenAt(parent, name, OpenFlags.PathOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloExec);

    /// <summary>Removes the file <paramref name="name"/> from the folder open as <paramref name="folder"/> (<c>unlinkat</c>: a link is removed, never what it points at).</summary>
    /// <returns>Whether it was removed.</returns>
    [SkipLocalsInit] // its stack buffer is written by the encoder before the kernel reads it
    public static unsafe bool RemoveAt(SafeFileHandle folder, string name)
    {
        using var native = new NativePath(name, stackalloc byte[512]);
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            fixed (byte* p = native.Bytes)
            {
                return UnlinkAt((int)folder.DangerousGetHandle(), p, 0) == 0;
            }
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Makes one of the tool's own folders (<c>.pipeline</c>, a shard's folder in it) in a folder that exists, or checks
    /// the one there: it must be a folder itself, not a link to one (whose files would be written wherever it points).
    /// </summary>
    /// <exception cref="UnusablePathException">It is something else, or it cannot be made.</exception>
    public static void EnsureFolder(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!FileNode.TryGet(path, followLink: false, out var node, out _))
        {
            var errno = MakeFolder(path);
            if (errno != 0 && errno != Exists)
            {
                throw new UnusablePathException(path, UnusablePathKind.Inaccessible, "cannot be created: " + Describe(errno));
            }

            FileNode.TryGet(path, followLink: false, out node, out _);
        }

        if (node.Kind != FileNodeKind.Directory)
        {
            throw UnusablePathException.NotFolder(path, node.Kind);
        }
    }

    /// <summary>
    /// Makes the output folder <paramref name="path"/> and the folders above it that are missing (links among them
    /// are the user's choice, and followed), or says why it cannot be: a file on the path, a read-only file system, a
    /// permission, a file system that takes no new folders.
    /// </summary>
    /// <exception cref="UnusablePathException">It cannot be made.</exception>
    public static void CreateOutputFolder(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            if (Directory.Exists(path))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WhyNoFolder(Path.GetFullPath(path), ex);
        }

        throw WhyNoFolder(Path.GetFullPath(path), null);
    }

    /// <summary>The first folder of <paramref name="path"/> that cannot be made, and why (the kernel's answer to making it).</summary>
    private static UnusablePathException WhyNoFolder(string path, Exception? cause)
    {
        var missing = Path.TrimEndingDirectorySeparator(path);
        var existing = Path.GetDirectoryName(missing);
        while (existing is not null && !Path.Exists(existing))
        {
            missing = existing;
            existing = Path.GetDirectoryName(existing);
        }

        if (Path.Exists(missing) && FileNode.Find(missing) is { Kind: not FileNodeKind.Directory } file)
        {
            return UnusablePathException.NotFolder(missing, file.Kind);
        }

        if (existing is not null && FileNode.Find(existing) is { Kind: not FileNodeKind.Directory } above)
        {
            return UnusablePathException.NotFolder(existing, above.Kind);
        }

        var errno = OperatingSystem.IsLinux() ? MakeFolder(missing) : 0;
        return new UnusablePathException(missing, UnusablePathKind.Inaccessible, "cannot be created: " + (errno != 0 ? Describe(errno) : cause?.Message ?? "it is not there after creating it"), cause);
    }

    /// <summary>A failed open or creation: what is there when that is why (a link, a pipe, a folder), else the kernel's reason.</summary>
    private static UnusablePathException OpenFailed(string path, int errno)
    {
        if (FileNode.TryGet(path, followLink: false, out var node, out _) && node.Kind != FileNodeKind.Regular && errno is 6 or 21 or 40)
        {
            return UnusablePathException.NotRegular(path, node.Kind);
        }

        return new UnusablePathException(path, UnusablePathKind.Inaccessible, "cannot be opened or created: " + Describe(errno));
    }

    /// <summary>The kernel's text for <paramref name="errno"/>, lower case as the tool's other reasons ("read-only file system").</summary>
    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    [SkipLocalsInit] // its stack buffer is written by the encoder before the kernel reads it
    private static unsafe int MakeFolder(string path)
    {
        using var native = new NativePath(path, stackalloc byte[1024]);
        fixed (byte* p = native.Bytes)
        {
            return MkDir(p, 0x1FF) == 0 ? 0 : Marshal.GetLastSystemError();
        }
    }

    private static SafeFileHandle? OpenAt(SafeFileHandle folder, string name, int flags)
    {
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            var fd = RegularFile.Open((int)folder.DangerousGetHandle(), name, flags, out _);
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }
    }

    // Blittable, errno read by the caller (Marshal.GetLastSystemError, right after): no marshalling stub to compile at run time.

    [DllImport("libc", EntryPoint = "mkdir")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe int MkDir(byte* path, int mode);

    [DllImport("libc", EntryPoint = "unlinkat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe int UnlinkAt(int dirfd, byte* path, int flags);
}
