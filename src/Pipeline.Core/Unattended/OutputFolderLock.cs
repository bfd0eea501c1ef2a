using System.Globalization;

namespace Pipeline.Unattended;

/// <summary>
/// An exclusive lock on an output folder, held for the whole run: <c>.pipeline/lock</c>, opened with no sharing,
/// which on Linux and macOS is an advisory <c>flock</c> and on Windows a share lock. The operating system drops it
/// when the process ends however it ends, so a lock left by a dead process never blocks the next run.
/// </summary>
internal sealed class OutputFolderLock : IDisposable
{
    private readonly FileStream _stream;

    private OutputFolderLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="outputRoot"/>, creating <c>.pipeline/</c> if needed.</summary>
    /// <exception cref="OutputLockedException">Another live process holds it.</exception>
    public static OutputFolderLock Acquire(string outputRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var folder = Path.Join(outputRoot, RunJournal.FolderName);
        Directory.CreateDirectory(folder);
        var path = Path.Join(folder, "lock");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OutputLockedException(outputRoot, HolderOf(path), ex);
        }

        // Who holds it, for the message a second run prints: in a file of its own, because on Linux reading the
        // locked file itself would need a shared flock, which the exclusive one refuses.
        File.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new OutputFolderLock(stream);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

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
