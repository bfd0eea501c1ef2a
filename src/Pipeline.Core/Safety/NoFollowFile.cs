namespace Pipeline.Safety;

/// <summary>
/// Opens a file the way the library opens its own (the lock, the journal, a shard's record) and the command line its
/// log: never through a final symbolic link and never blocking on a named pipe or a device; only a regular file is
/// opened. A hostile tree or a mistaken path then cannot make a run write through a link (as root, anywhere) or wait
/// for ever.
/// </summary>
/// <remarks>
/// Public because an embedder that keeps files of its own beside a run's outputs (a log, a state file) meets the same
/// trees. Folders above the file are followed as usual: they are the caller's choice.
/// </remarks>
public static class NoFollowFile
{
    /// <summary>Opens <paramref name="path"/> as a stream, never through a link and never blocking.</summary>
    /// <param name="path">The file; relative paths are taken from the current folder.</param>
    /// <param name="mode">
    /// <see cref="FileMode.Open"/> (it must exist), <see cref="FileMode.OpenOrCreate"/>, <see cref="FileMode.Create"/>
    /// (emptied if it exists) or <see cref="FileMode.Append"/> (with <see cref="FileAccess.Write"/>); a file created is
    /// rw-rw-rw- less the umask, as <see cref="FileStream"/> creates them.
    /// </param>
    /// <param name="access">How the stream is opened.</param>
    /// <returns>The stream, buffered (4 KiB), which the caller disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is another mode, or <see cref="FileMode.Append"/> without <see cref="FileAccess.Write"/>.</exception>
    /// <exception cref="FileNotFoundException">With <see cref="FileMode.Open"/>, there is no such file.</exception>
    /// <exception cref="UnusablePathException">
    /// It is a link, a named pipe, a socket, a device or a folder (<see cref="UnusablePathKind.NotRegularFile"/>), or it
    /// cannot be opened or created (<see cref="UnusablePathKind.Inaccessible"/>); the message says which.
    /// </exception>
    public static FileStream Open(string path, FileMode mode, FileAccess access)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (mode is not (FileMode.Open or FileMode.OpenOrCreate or FileMode.Create or FileMode.Append) || (mode == FileMode.Append && access != FileAccess.Write))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Open, OpenOrCreate, Create, or Append with FileAccess.Write");
        }

        return StateFile.OpenStream(Path.GetFullPath(path), mode, access);
    }
}
