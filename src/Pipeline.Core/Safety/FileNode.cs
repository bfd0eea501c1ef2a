using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>What kind of thing a path names.</summary>
internal enum FileNodeKind
{
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    Socket,
    CharacterDevice,
    BlockDevice,
    Unknown,
}

/// <summary>
/// One node of the file system as the kernel sees it: its identity (device + inode, which is what makes two paths
/// the same file or folder, whatever links or bind mounts lead there), its kind, size and last write time.
/// </summary>
internal readonly record struct FileNode(ulong Device, ulong Inode, FileNodeKind Kind, long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>The permission bits (rwx for owner, group and others, with set-id and sticky bits); 0 where unknown.</summary>
    public UnixFileMode Permissions { get; init; }

    /// <summary>The owner's user id.</summary>
    public uint UserId { get; init; }

    /// <summary>The owner's group id.</summary>
    public uint GroupId { get; init; }

    /// <summary>Whether this is a node the kernel described (identities are known), not a default.</summary>
    public bool IsKnown => Inode != 0 || Device != 0;

    /// <summary>The same size and last write time: as far as a stat can tell, the same content.</summary>
    public bool HasSameContentStamp(FileNode other) => Length == other.Length && LastWriteTimeUtc == other.LastWriteTimeUtc;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;

    // STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_MTIME | STATX_INO | STATX_SIZE
    private const uint Mask = 0x1 | 0x2 | 0x8 | 0x10 | 0x40 | 0x100 | 0x200;

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Whether identities can be read here (Linux); elsewhere callers fall back to comparing resolved paths.</summary>
    public static bool Available => !Volatile.Read(ref s_unavailable);

    /// <summary>The same device and inode: one file or folder, however it was reached.</summary>
    public bool IsSameNode(FileNode other) => Device == other.Device && Inode == other.Inode;

    /// <summary>A short description of a kind that is not a regular file or a folder, e.g. "named pipe".</summary>
    public static string Describe(FileNodeKind kind) => kind switch
    {
        FileNodeKind.NamedPipe => "named pipe",
        FileNodeKind.Socket => "socket",
        FileNodeKind.CharacterDevice => "character device",
        FileNodeKind.BlockDevice => "block device",
        FileNodeKind.Directory => "folder",
        FileNodeKind.SymbolicLink => "symbolic link",
        FileNodeKind.Regular => "regular file",
        _ => "unknown kind of file",
    };

    /// <summary>The node <paramref name="path"/> leads to (links followed), or <see langword="null"/> if there is none or identities are unknown here.</summary>
    public static FileNode? Find(string path) => TryGet(path, followLink: true, out var node, out _) ? node : null;

    /// <summary>
    /// The nodes of <paramref name="folder"/> and of each of its ancestors up to the root, as the kernel resolves
    /// <c>..</c>: every step is a real parent, whatever links or mounts led to the folder. Empty if the folder does not exist.
    /// </summary>
    public static IEnumerable<FileNode> Ancestry(string folder)
    {
        if (Find(folder) is not { } node)
        {
            yield break;
        }

        var current = folder;
        for (var depth = 0; depth < 4096; depth++)
        {
            yield return node;
            current = Path.Join(current, "..");
            if (Find(current) is not { } parent || parent.IsSameNode(node))
            {
                yield break; // the root of the file system
            }

            node = parent;
        }
    }

    /// <summary>Reads the node <paramref name="path"/> names, following a final symbolic link when <paramref name="followLink"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="followLink">Whether a final symbolic link is followed to its target.</param>
    /// <param name="node">The node, when found.</param>
    /// <param name="errno">The system error when not found (2 = no such file, 40 = too many links, 13 = permission denied); 0 when identities are unavailable here.</param>
    [SkipLocalsInit] // its stack buffers are written before they are read (by the encoder, by the kernel)
    public static bool TryGet(string path, bool followLink, out FileNode node, out int errno)
    {
        node = default;
        errno = 0;
        if (!Available)
        {
            return false;
        }

        if (path.Contains('\0'))
        {
            errno = 2; // no name on Linux holds one: there is no such file
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            using var native = new NativePath(path, stackalloc byte[1024]);
            unsafe
            {
                fixed (byte* p = native.Bytes)
                {
                    fixed (byte* b = buffer)
                    {
                        if (StatxEntry(AtFdCwd, p, followLink ? 0 : AtSymlinkNoFollow, Mask, b) != 0)
                        {
                            errno = Marshal.GetLastSystemError();
                            return false;
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
            return false;
        }

        node = Parse(buffer);
        return true;
    }

    /// <summary>
    /// Reads the node named <paramref name="name"/> in the folder open as <paramref name="folder"/> (<c>statx</c> relative
    /// to it), not following a final symbolic link: the kernel resolves one name, not the whole path, and no string is
    /// made (a walk asks this of every entry).
    /// </summary>
    [SkipLocalsInit] // its stack buffers are written before they are read (by the encoder, by the kernel)
    public static unsafe bool TryGetEntry(SafeFileHandle folder, ReadOnlySpan<char> name, out FileNode node) =>
        TryGetEntry(folder, name, followLink: false, out node, out _);

    /// <summary>
    /// Reads the node named <paramref name="name"/> in the folder open as <paramref name="folder"/>, following a final
    /// symbolic link when <paramref name="followLink"/>; <paramref name="errno"/> says why not when it cannot.
    /// </summary>
    [SkipLocalsInit] // its stack buffers are written before they are read (by the encoder, by the kernel)
    public static unsafe bool TryGetEntry(SafeFileHandle folder, ReadOnlySpan<char> name, bool followLink, out FileNode node, out int errno)
    {
        errno = 0;
        node = default;
        if (!Available || name.Contains('\0'))
        {
            return false;
        }

        using var native = new NativePath(name, stackalloc byte[1024]);
        Span<byte> buffer = stackalloc byte[256];
        var added = false;
        try
        {
            folder.DangerousAddRef(ref added);
            fixed (byte* p = native.Bytes)
            {
                fixed (byte* b = buffer)
                {
                    if (StatxEntry((int)folder.DangerousGetHandle(), p, followLink ? 0 : AtSymlinkNoFollow, Mask, b) != 0)
                    {
                        errno = Marshal.GetLastSystemError();
                        return false;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
            return false;
        }
        finally
        {
            if (added)
            {
                folder.DangerousRelease();
            }
        }

        node = Parse(buffer);
        return true;
    }

    /// <summary>Reads the node an open handle refers to (fstat): what was really opened, whatever the path pointed at before.</summary>
    [SkipLocalsInit] // its stack buffers are written before they are read (by the encoder, by the kernel)
    public static bool TryGet(SafeFileHandle handle, out FileNode node)
    {
        node = default;
        if (!Available)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        byte empty = 0;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            unsafe
            {
                fixed (byte* b = buffer)
                {
                    if (StatxEntry((int)handle.DangerousGetHandle(), &empty, AtEmptyPath, Mask, b) != 0)
                    {
                        return false;
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

        node = Parse(buffer);
        return true;
    }

    private static FileNode Parse(ReadOnlySpan<byte> statx)
    {
        // struct statx: stx_uid @20, stx_gid @24, stx_mode @28 (u16), stx_ino @32, stx_size @40, stx_mtime @112 (s64 sec, u32 nsec),
        // stx_dev_major @136, stx_dev_minor @140: the same offsets on every architecture.
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(statx[28..]);
        var inode = BinaryPrimitives.ReadUInt64LittleEndian(statx[32..]);
        var size = BinaryPrimitives.ReadInt64LittleEndian(statx[40..]);
        var seconds = BinaryPrimitives.ReadInt64LittleEndian(statx[112..]);
        var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(statx[120..]);
        var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(statx[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(statx[140..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileNodeKind.Regular,
            0x4000 => FileNodeKind.Directory,
            0xA000 => FileNodeKind.SymbolicLink,
            0x1000 => FileNodeKind.NamedPipe,
            0xC000 => FileNodeKind.Socket,
            0x2000 => FileNodeKind.CharacterDevice,
            0x6000 => FileNodeKind.BlockDevice,
            _ => FileNodeKind.Unknown,
        };
        var written = DateTime.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100));
        return new FileNode(device, inode, kind, size, written)
        {
            Permissions = (UnixFileMode)(mode & 0xFFF),
            UserId = BinaryPrimitives.ReadUInt32LittleEndian(statx[20..]),
            GroupId = BinaryPrimitives.ReadUInt32LittleEndian(statx[24..]),
        };
    }

    // Blittable: no marshalling stub to compile at run time, and no string to make.
    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe int StatxEntry(int dirfd, byte* path, int flags, uint mask, byte* buffer);

}
