using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>
/// A walk's folders on Linux, opened and listed by handle: each folder is opened relative to its parent's handle
/// (<c>openat</c>, not following a link unless asked) and checked to be the very folder the parent's listing showed
/// (device + inode), then its names are read from that handle (<c>getdents64</c>). A folder swapped for a link or
/// another folder after its parent was listed is never entered: the walk only ever sees what it opened.
/// </summary>
internal static class FolderListing
{
    private const int Interrupted = 4; // EINTR

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether folders are walked by handle here (Linux, where identities can be read).</summary>
    public static bool Available => OperatingSystem.IsLinux() && FileNode.Available;

    /// <summary>Opens the input root by its path (links on the way are the user's choice), for listing.</summary>
    /// <returns>The handle, or <see langword="null"/> and the <c>errno</c>.</returns>
    public static SafeFileHandle? OpenRoot(string path, out int errno) => Open(OpenFlags.AtFdCwd, path, followLink: true, out errno);

    /// <summary>
    /// Opens the folder <paramref name="name"/> of the folder open as <paramref name="parent"/>, and checks that it is
    /// <paramref name="expected"/>, the node the parent's listing showed.
    /// </summary>
    /// <param name="parent">The parent folder, open.</param>
    /// <param name="name">The folder's name in it.</param>
    /// <param name="followLink">Whether a symbolic link there is followed (the walk follows links).</param>
    /// <param name="expected">What the listing showed there (the link's target when followed).</param>
    /// <param name="error">Why it cannot be entered, as the exception whose message the user reads: changed since the listing, or the system's reason.</param>
    public static SafeFileHandle? OpenChild(SafeFileHandle parent, string name, bool followLink, FileNode expected, out Exception? error)
    {
        var added = false;
        SafeFileHandle? folder;
        int errno;
        try
        {
            parent.DangerousAddRef(ref added);
            folder = Open((int)parent.DangerousGetHandle(), name, followLink, out errno);
        }
        finally
        {
            if (added)
            {
                parent.DangerousRelease();
            }
        }

        if (folder is null)
        {
            error = errno switch
            {
                40 or 20 => ChangedDuringTheRun.Folder(),
                2 => new DirectoryNotFoundException("folder not found (it was removed during the run?)"),
                1 or 13 => new UnauthorizedAccessException("permission denied"),
                _ => new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
            };
            return null;
        }

        if (!FileNode.TryGet(folder, out var opened) || !opened.IsSameNode(expected))
        {
            folder.Dispose();
            error = ChangedDuringTheRun.Folder();
            return null;
        }

        error = null;
        return folder;
    }

    /// <summary>The names in the folder open as <paramref name="folder"/> (not <c>.</c> and <c>..</c>), each with whether it is valid UTF-8.</summary>
    /// <exception cref="IOException">The folder cannot be read; the message says why.</exception>
    public static unsafe List<(string Name, bool Decodable)> ReadNames(SafeFileHandle folder)
    {
        var names = new List<(string, bool)>();
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            var fd = (int)folder.DangerousGetHandle();
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var n = GetDents64(fd, start, buffer.Length);
                    if (n < 0)
                    {
                        var errno = Marshal.GetLastSystemError();
                        if (errno == Interrupted)
                        {
                            continue;
                        }

                        throw errno is 1 or 13 ? new UnauthorizedAccessException("permission denied") : new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                    }

                    if (n == 0)
                    {
                        return names;
                    }

                    // struct linux_dirent64: d_ino u64 @0, d_off s64 @8, d_reclen u16 @16, d_type u8 @18, d_name @19 (zero-ended).
                    for (var at = 0; at < n;)
                    {
                        var length = BitConverter.ToUInt16(buffer, at + 16);
                        var name = buffer.AsSpan(at + 19, length - 19);
                        name = name[..name.IndexOf((byte)0)];
                        at += length;
                        if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                        {
                            continue;
                        }

                        try
                        {
                            names.Add((StrictUtf8.GetString(name), true));
                        }
                        catch (DecoderFallbackException)
                        {
                            names.Add((Encoding.UTF8.GetString(name), false));
                        }
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SafeFileHandle? Open(int dirfd, string path, bool followLink, out int errno)
    {
        var fd = RegularFile.Open(dirfd, path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloExec | OpenFlags.NonBlock | (followLink ? 0 : OpenFlags.NoFollow), out errno);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "getdents64")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe nint GetDents64(int fd, byte* buffer, nint count);
}
