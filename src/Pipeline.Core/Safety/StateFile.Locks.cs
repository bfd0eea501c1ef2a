using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>The tool's own files, continued: advisory locks on them (flock), taken without waiting.</summary>
internal static partial class StateFile
{
    /// <summary>
    /// Takes an advisory lock (<c>flock</c>, never waiting) on <paramref name="handle"/>: exclusive, or shared.
    /// Returns 0, or the <c>errno</c>: 11 (<c>EWOULDBLOCK</c>) when another open file holds a lock that excludes it.
    /// </summary>
    public static int TryLock(SafeFileHandle handle, bool exclusive) => LockOperation(handle, (exclusive ? OpenFlags.LockExclusive : OpenFlags.LockShared) | OpenFlags.LockNonBlocking);

    /// <summary>
    /// Releases a lock <see cref="TryLock"/> took, before the handle is closed: the lock belongs to the open file, which a
    /// child process forked at that moment shares until it executes its program, so a close alone could leave the
    /// folder locked for a while after the run ended.
    /// </summary>
    public static void ReleaseLock(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux() && !handle.IsClosed)
        {
            LockOperation(handle, OpenFlags.Unlock);
        }
    }

    private static int LockOperation(SafeFileHandle handle, int operation)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return RegularFile.Flock((int)handle.DangerousGetHandle(), operation) == 0 ? 0 : Marshal.GetLastSystemError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Whether someone holds a lock on the file <paramref name="name"/> in the folder open as <paramref name="folder"/> (it is probed, never waited for, and released at once).</summary>
    public static bool IsLockedAt(SafeFileHandle folder, string name)
    {
        var fd = OpenAt(folder, name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.CloExec | OpenFlags.NoCtty);
        if (fd is not { } probe)
        {
            return false;
        }

        using (probe)
        {
            if (!FileNode.TryGet(probe, out var node) || node.Kind != FileNodeKind.Regular)
            {
                return false;
            }

            var errno = TryLock(probe, exclusive: true);
            if (errno == 0)
            {
                ReleaseLock(probe); // at once: a run starting now must not find it taken
            }

            return errno == 11;
        }
    }
}
