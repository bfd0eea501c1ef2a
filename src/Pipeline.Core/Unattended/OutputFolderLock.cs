using System.Globalization;
using Pipeline.Sharding;

namespace Pipeline.Unattended;

/// <summary>
/// An exclusive lock on an output folder, held for the whole run: <c>.pipeline/lock</c>, opened with no sharing,
/// which on Linux and macOS is an advisory <c>flock</c> and on Windows a share lock. The operating system drops it
/// when the process ends however it ends, so a lock left by a dead process never blocks the next run.
/// The shards of one job share the folder: each holds <c>.pipeline/lock</c> shared (which a plain run or a merge,
/// wanting it exclusive, is refused while any shard runs) and its own <c>.pipeline/shard-I-of-N/lock</c> exclusive.
/// </summary>
internal sealed class OutputFolderLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly FileStream? _shard;

    private OutputFolderLock(FileStream stream, FileStream? shard)
    {
        _stream = stream;
        _shard = shard;
    }

    /// <summary>Takes the lock on <paramref name="outputRoot"/> (or its share of it for <paramref name="shard"/>), creating <c>.pipeline/</c> if needed.</summary>
    /// <exception cref="OutputLockedException">Another live process holds it (or, for a shard, a plain run or a merge holds the folder, or another process runs the same shard).</exception>
    public static OutputFolderLock Acquire(string outputRoot, Shard? shard = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var folder = Path.Join(outputRoot, RunJournal.FolderName);
        Directory.CreateDirectory(folder);
        var path = Path.Join(folder, "lock");
        if (shard is null)
        {
            return new OutputFolderLock(Exclusive(outputRoot, path), null);
        }

        // On Linux and macOS a share mode other than None is a shared flock (read access, so NFS takes it too).
        var shared = Take(outputRoot, path, () => new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite));
        try
        {
            // A process id left by a plain run that held the folder before would name the wrong holder to a merge refused now.
            File.Delete(path + ".pid");
            var own = ShardLayout.StateFolder(outputRoot, shard);
            Directory.CreateDirectory(own);
            return new OutputFolderLock(shared, Exclusive(outputRoot, Path.Join(own, "lock")));
        }
        catch
        {
            shared.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        _shard?.Dispose();
        _stream.Dispose();
    }

    private static FileStream Exclusive(string outputRoot, string path)
    {
        var stream = Take(outputRoot, path, () => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));

        // Who holds it, for the message a second run prints: in a file of its own, because on Linux reading the
        // locked file itself would need a shared flock, which the exclusive one refuses.
        File.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return stream;
    }

    private static FileStream Take(string outputRoot, string path, Func<FileStream> open)
    {
        try
        {
            return open();
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OutputLockedException(outputRoot, HolderOf(path), ex);
        }
    }

    private static string? HolderOf(string path)
    {
        try
        {
            return File.ReadAllText(path + ".pid").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
