using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pipeline.Safety;

namespace Pipeline.IO;

/// <summary>
/// Who may read an output: the permission bits it gets (and, when the tool runs as root, its owner and group), so that
/// an output is never more readable than what it was made from, as gzip(1), <c>cp -p</c> and tar keep them.
/// </summary>
/// <param name="Permissions">The permission bits (rwx for owner, group, others; set-id and sticky bits never given).</param>
/// <param name="Owner">The owner and group to give it when running as root; <see langword="null"/> to keep the runner's.</param>
internal readonly record struct OutputAccess(UnixFileMode Permissions, (uint User, uint Group)? Owner)
{
    private const UnixFileMode ReadWriteExecute = (UnixFileMode)0x1FF; // 0777
    private const UnixFileMode ReadWrite = (UnixFileMode)0x1B6; // 0666
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The access of a per-file output made from <paramref name="input"/>: its permission bits and owner; <see langword="null"/> when not known.</summary>
    public static OutputAccess? Of(FileNode input) =>
        input.IsKnown ? new OutputAccess(input.Permissions & ReadWriteExecute, (input.UserId, input.GroupId)) : null;

    /// <summary>
    /// The access of an output describing many inputs (a manifest): no permission that any of them lacks
    /// (<paramref name="sharedByAll"/>, their permission bits in common), read and write for the one who runs the tool.
    /// </summary>
    public static OutputAccess Describing(UnixFileMode sharedByAll) => new((sharedByAll & ReadWrite) | OwnerReadWrite, null);

    /// <summary>Gives the open file <paramref name="handle"/> this access (owner first: a change of owner may clear bits).</summary>
    public void ApplyTo(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Owner is { } owner && Environment.IsPrivilegedProcess && OperatingSystem.IsLinux())
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (Fchown((int)handle.DangerousGetHandle(), owner.User, owner.Group) != 0)
                {
                    throw new IOException($"cannot give the output its input's owner: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}");
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

        File.SetUnixFileMode(handle, Permissions);
    }

    // Blittable, errno read by the caller right after.
    [DllImport("libc", EntryPoint = "fchown")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fchown(int fd, uint owner, uint group);
}
