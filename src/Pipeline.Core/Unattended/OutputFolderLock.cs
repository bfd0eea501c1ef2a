using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pipeline.Safety;
using Pipeline.Sharding;

namespace Pipeline.Unattended;

/// <summary>
/// An exclusive lock on an output folder, held for the whole run: <c>.pipeline/lock</c>, an advisory <c>flock</c> on
/// Linux (a share lock elsewhere). The operating system drops it when the process ends however it ends, so a lock left
/// by a dead process never blocks the next run.
/// The shards of one job share the folder: each holds <c>.pipeline/lock</c> shared (which a plain run or a merge,
/// wanting it exclusive, is refused while any shard runs) and its own <c>.pipeline/shard-I-of-N/lock</c> exclusive.
/// The lock and its process id are the tool's own files (see <see cref="StateFile"/>): never opened through a link,
/// never blocking.
/// </summary>
internal sealed class OutputFolderLock : IDisposable
{
    /// <summary>The lock's file name in <c>.pipeline</c> (and in a shard's folder).</summary>
    public const string FileName = "lock";

    private const int WouldBlock = 11; // EWOULDBLOCK

    private readonly SafeFileHandle _handle;
    private readonly SafeFileHandle? _shard;

    private OutputFolderLock(SafeFileHandle handle, SafeFileHandle? shard)
    {
        _handle = handle;
        _shard = shard;
    }

    /// <summary>Takes the lock on <paramref name="outputRoot"/> (or its share of it for <paramref name="shard"/>), creating <c>.pipeline/</c> if needed.</summary>
    /// <exception cref="OutputLockedException">Another live process holds it (or, for a shard, a plain run or a merge holds the folder, or another process runs the same shard).</exception>
    /// <exception cref="UnusablePathException">The lock cannot be taken for another reason (a link or a special file in its place, a read-only file system, a permission): a configuration error.</exception>
    public static OutputFolderLock Acquire(string outputRoot, Shard? shard = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        StateFile.CreateOutputFolder(outputRoot);
        var folder = Path.Join(outputRoot, RunJournal.FolderName);
        StateFile.EnsureFolder(folder);
        var path = Path.Join(folder, FileName);
        if (shard is null)
        {
            return new OutputFolderLock(Exclusive(outputRoot, path), null);
        }

        // Shared, with read access only, so NFS takes it too.
        var shared = Take(outputRoot, path, exclusive: false);
        try
        {
            // A process id left by a plain run that held the folder before would name the wrong holder to a merge refused now.
            File.Delete(path + ".pid");
            var own = ShardLayout.StateFolder(outputRoot, shard);
            StateFile.EnsureFolder(own);
            return new OutputFolderLock(shared, Exclusive(outputRoot, Path.Join(own, FileName)));
        }
        catch
        {
            Release(shared);
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (_shard is not null)
        {
            Release(_shard);
        }

        Release(_handle);
    }

    private static void Release(SafeFileHandle handle)
    {
        StateFile.ReleaseLock(handle);
        handle.Dispose();
    }

    private static SafeFileHandle Exclusive(string outputRoot, string path)
    {
        var handle = Take(outputRoot, path, exclusive: true);
        try
        {
            // Who holds it, for the message a second run prints: in a file of its own, because on Linux reading the
            // locked file itself would need a shared flock, which the exclusive one refuses.
            StateFile.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            return handle;
        }
        catch
        {
            Release(handle);
            throw;
        }
    }

    private static SafeFileHandle Take(string outputRoot, string path, bool exclusive)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                return File.OpenHandle(path, FileMode.OpenOrCreate, exclusive ? FileAccess.ReadWrite : FileAccess.Read, exclusive ? FileShare.None : FileShare.ReadWrite);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new OutputLockedException(outputRoot, HolderOf(path), ex);
            }
        }

        var handle = StateFile.Open(path, FileMode.OpenOrCreate, exclusive ? FileAccess.ReadWrite : FileAccess.Read);
        var errno = StateFile.TryLock(handle, exclusive);
        if (errno == 0)
        {
            return handle;
        }

        handle.Dispose();
        throw errno == WouldBlock
            ? new OutputLockedException(outputRoot, HolderOf(path))
            : new UnusablePathException(path, UnusablePathKind.NotLockable, "cannot be locked: " + StateFile.Describe(errno));
    }

    /// <summary>The process id the holder wrote, if it can be read as one (only from a regular file: never through a link, never waiting on a pipe).</summary>
    private static string? HolderOf(string path)
    {
        try
        {
            using var stream = StateFile.OpenStream(path + ".pid", FileMode.Open, FileAccess.Read, bufferSize: 0);
            var start = new byte[16];
            var text = Encoding.UTF8.GetString(start.AsSpan(0, stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false))).Trim();
            return text.Length is > 0 and < 12 && text.All(char.IsAsciiDigit) ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
