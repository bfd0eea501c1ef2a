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

    /// <summary>Exactly the permission bits <paramref name="permissions"/> (rwx of owner, group and others), the owner left as the runner's: what an embedder asks of <see cref="AtomicFileWriter.Permissions"/>.</summary>
    public static OutputAccess Exactly(UnixFileMode permissions) => new(permissions & ReadWriteExecute, null);

    /// <summary>
    /// The mode to create the file with: a file's output is created with its input's permission bits at once (never
    /// more readable than the input, even while written, and no change needed at commit in the common case); an output
    /// of many inputs is created private (0600), its final bits known only when the run ends.
    /// </summary>
    public UnixFileMode CreateMode => Owner is null ? OwnerReadWrite : Permissions;

    /// <summary>
    /// Gives the open file <paramref name="handle"/>, created with <paramref name="createdWith"/>, this access: the
    /// owner when the tool runs as root and it is not the runner's, the permission bits when the creation (less the
    /// umask) did not already give exactly them. Usually neither system call is needed.
    /// </summary>
    public void ApplyTo(SafeFileHandle handle, UnixFileMode createdWith)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Owner is { } owner && OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && owner != Runner.Value)
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

        if (Permissions != (createdWith & ~Umask.Value))
        {
            File.SetUnixFileMode(handle, Permissions);
        }
    }

    /// <summary>The user and group the tool runs as: a file it creates is theirs already.</summary>
    private static readonly Lazy<(uint User, uint Group)> Runner = new(() => OperatingSystem.IsLinux() ? (GetEuid(), GetEgid()) : (uint.MaxValue, uint.MaxValue));

    /// <summary>The process's umask, read once from <c>/proc/self/status</c> (reading it with <c>umask()</c> would set it); every bit when unknown, so the bits are always set explicitly.</summary>
    private static readonly Lazy<UnixFileMode> Umask = new(() =>
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or no /proc: unknown.
        }

        return (UnixFileMode)0xFFF;
    });

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEuid();

    [DllImport("libc", EntryPoint = "getegid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEgid();

    // Blittable, errno read by the caller right after.
    [DllImport("libc", EntryPoint = "fchown")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fchown(int fd, uint owner, uint group);
}
