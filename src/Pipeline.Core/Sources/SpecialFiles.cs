using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Sources;

/// <summary>
/// Tells regular files from named pipes, sockets and devices, which .NET enumerates alike. Opening a named pipe
/// for reading blocks until a writer comes, so such an entry must be recognised before the reader touches it.
/// </summary>
internal static class SpecialFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mode is at the same offset on every architecture.
    private static bool s_unavailable;

    /// <summary>What kind of special file <paramref name="path"/> is, or <see langword="null"/> for a regular file (or when the kernel cannot say).</summary>
    /// <remarks>Only zero-length entries need asking: special files always report a size of 0.</remarks>
    public static string? Describe(string path)
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref s_unavailable))
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset)) & 0xF000;
        return type switch
        {
            0x1000 => "named pipe",
            0xC000 => "socket",
            0x2000 => "character device",
            0x6000 => "block device",
            _ => null,
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA2101 // On Unix strings marshal as UTF-8, which is what the kernel expects.
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPStr)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore CA2101
}
