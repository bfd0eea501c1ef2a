using System.Globalization;

namespace Pipeline.Unattended;

/// <summary>
/// An exclusive lock on an output folder, held for the whole run: <c>.pipeline/lock</c>, opened with no sharing,
/// which on Linux and macOS is an advisory <c>flock</c> and on Windows a share lock. The operating system drops it
/// when the process ends however it ends, so a lock left by a dead process never blocks the next run.
/// </summary>
public sealed class OutputFolderLock : IDisposable
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

        // Who holds it, for the message a second run prints.
        stream.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        stream.Write(pid);
        stream.Flush();
        return new OutputFolderLock(stream);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    private static string? HolderOf(string path)
    {
        try
        {
            // Readable on Linux (flock is advisory); on Windows the share lock forbids it, and the pid stays unknown.
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            return text.ReadLine()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
