using Microsoft.Win32.SafeHandles;

namespace Pipeline.Safety;

/// <summary>
/// The folders of the files a run is reading, kept open (the last few used), so that each file is opened relative to
/// its folder (<c>openat</c>): the kernel then resolves one name per file instead of every folder of its path, a
/// visible share of reading many small files. Files come in path order, so nearly every file finds its folder open.
/// A folder that cannot be opened is not kept: its files are opened by their whole path, which says why they fail.
/// Thread-safe; a folder closed while a file in it is being opened stays open until that open is done.
/// </summary>
internal sealed class FolderHandles : IDisposable
{
    private const int Capacity = 8;

    private readonly Lock _lock = new();
    private readonly List<(string Path, SafeFileHandle Handle)> _open = new(Capacity);
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> for reading as <see cref="RegularFile.OpenRead(string, out long)"/> does, relative to its folder where it can.</summary>
    /// <inheritdoc cref="RegularFile.OpenRead(string, out long)"/>
    public SafeFileHandle OpenRead(string path, out long length)
    {
        var handle = OpenRead(path, noFollow: false, out var node);
        length = node.Length;
        return handle;
    }

    /// <summary>Opens <paramref name="path"/> for reading as <see cref="RegularFile.OpenRead(string, bool, out FileNode)"/> does, relative to its folder where it can.</summary>
    /// <inheritdoc cref="RegularFile.OpenRead(string, bool, out FileNode)"/>
    public SafeFileHandle OpenRead(string path, bool noFollow, out FileNode node)
    {
        var slash = path.LastIndexOf('/');
        if (!OperatingSystem.IsLinux() || slash <= 0 || slash == path.Length - 1 || Folder(path.AsSpan(0, slash)) is not { } folder)
        {
            return RegularFile.OpenRead(path, noFollow, out node);
        }

        try
        {
            return RegularFile.OpenReadAt(folder, path.AsSpan(slash + 1), path, noFollow, out node);
        }
        catch (ObjectDisposedException)
        {
            return RegularFile.OpenRead(path, noFollow, out node); // closed between the lookup and here: by its whole path
        }
    }

    /// <summary>The open handle of <paramref name="folder"/>, opening it (and closing the least recently used) if it is not; <see langword="null"/> if it cannot be opened.</summary>
    private SafeFileHandle? Folder(ReadOnlySpan<char> folder)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            for (var i = _open.Count - 1; i >= 0; i--)
            {
                if (folder.SequenceEqual(_open[i].Path))
                {
                    var found = _open[i];
                    if (i != _open.Count - 1)
                    {
                        _open.RemoveAt(i);
                        _open.Add(found); // the most recently used last
                    }

                    return found.Handle;
                }
            }

            if (RegularFile.OpenFolder(folder) is not { } opened)
            {
                return null;
            }

            if (_open.Count == Capacity)
            {
                _open[0].Handle.Dispose();
                _open.RemoveAt(0);
            }

            _open.Add((folder.ToString(), opened));
            return opened;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var (_, handle) in _open)
            {
                handle.Dispose();
            }

            _open.Clear();
        }
    }
}
