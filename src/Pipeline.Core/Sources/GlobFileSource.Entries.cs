using System.IO.Enumeration;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Win32.SafeHandles;
using Pipeline.Safety;

namespace Pipeline.Sources;

/// <summary>The walk, continued: one folder's entries, read relative to its handle, each as the walk sees it (a link followed or not).</summary>
public static partial class GlobFileSource
{
    // links: whether links not followed are listed (as Entry.NotFollowed) rather than left out.
    private static List<Entry> ReadEntries(SafeFileHandle? handle, string directory, bool followSymlinks, bool links, out Exception? error)
    {
        if (handle is not null)
        {
            return ReadEntriesAt(handle, directory, followSymlinks, links, out error);
        }

        error = null;
        var entries = new List<Entry>();

        // The entries are read relative to the folder's own handle: the kernel resolves one name per entry, not the whole path.
        using var folder = RegularFile.OpenFolder(directory);
        try
        {
            var enumerable = new FileSystemEnumerable<Entry?>(
                directory,
                (ref FileSystemEntry e) => ToEntry(ref e, folder, followSymlinks, links),
                new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false });
            foreach (var entry in enumerable)
            {
                if (entry is { } e)
                {
                    entries.Add(e);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex is UnauthorizedAccessException ? new UnauthorizedAccessException("permission denied", ex) : ex;
            return entries;
        }

        // A folder sorts as "name/" so that a depth-first walk yields full paths in ordinal order
        // ("a-b" < "a/x" because '-' < '/').
        entries.Sort(static (x, y) => PathOrder.Compare(x.SortKey, y.SortKey));
        return entries;
    }

    /// <summary>
    /// The entries of the folder open as <paramref name="folder"/>, read from that handle and each described relative to
    /// it (Linux): nothing is resolved by path, so nothing swapped in after the folder was opened is seen as its entry.
    /// </summary>
    private static List<Entry> ReadEntriesAt(SafeFileHandle folder, string directory, bool followSymlinks, bool links, out Exception? error)
    {
        error = null;
        var entries = new List<Entry>();
        List<(string Name, bool Decodable)> names;
        try
        {
            names = FolderListing.ReadNames(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex is UnauthorizedAccessException ? new UnauthorizedAccessException("permission denied", ex) : ex;
            return entries;
        }

        foreach (var (name, decodable) in names)
        {
            if (!decodable)
            {
                // .NET cannot carry the name's bytes, so it cannot open it either: say so, rather than "not found" later.
                var found = FileNode.TryGetEntry(folder, name, out var seen);
                var isFolder = found ? seen.Kind == FileNodeKind.Directory : false;
                entries.Add(new Entry(name, isFolder, false, 0, default) { Error = new UnusableNameException() });
                continue;
            }

            if (!FileNode.TryGetEntry(folder, name, followLink: false, out var node, out var statErrno))
            {
                if (statErrno is 2 or 0)
                {
                    continue; // removed since it was listed
                }

                // Listed but not searchable (r-- for this user, say): its files cannot be opened, and each says why.
                entries.Add(new Entry(name, false, false, 0, default) { Error = RegularFile.OpenError(Path.Join(directory, name), statErrno) });
                continue;
            }

            switch (node.Kind)
            {
                case FileNodeKind.Directory:
                    entries.Add(new Entry(name, true, false, node.Length, node.LastWriteTimeUtc) { Node = node });
                    continue;
                case FileNodeKind.Regular:
                    entries.Add(new Entry(name, false, false, node.Length, node.LastWriteTimeUtc) { Node = node });
                    continue;
                case not FileNodeKind.SymbolicLink:
                    entries.Add(new Entry(name, false, false, 0, default) { Error = new NotRegularFileException(node.Kind) });
                    continue;
            }

            if (!followSymlinks)
            {
                if (links)
                {
                    // Told, not taken: what it leads to (a folder or not) decides only how it is matched and sorted.
                    var toFolder = FileNode.TryGetEntry(folder, name, followLink: true, out var led, out _) && led.Kind == FileNodeKind.Directory;
                    entries.Add(new Entry(name, toFolder, true, 0, default) { NotFollowed = true });
                }

                continue;
            }

            // What the link leads to decides what it is; nothing is opened to find out. The target's identity is what
            // the reader (or the walk, for a folder) later checks it opened.
            entries.Add(FileNode.TryGetEntry(folder, name, followLink: true, out var target, out var errno)
                ? Followed(name, target)
                : new Entry(name, false, true, 0, default) { Error = BrokenLinkReason(errno) });
        }

        entries.Sort(static (x, y) => PathOrder.Compare(x.SortKey, y.SortKey));
        return entries;
    }

    private static Entry Followed(string name, FileNode target) => target.Kind switch
    {
        FileNodeKind.Directory => new Entry(name, true, true, 0, default) { Node = target },
        FileNodeKind.Regular => new Entry(name, false, true, target.Length, target.LastWriteTimeUtc) { Node = target },
        _ => new Entry(name, false, true, 0, default) { Error = new NotRegularFileException(target.Kind, behindLink: true) },
    };

    private static Exception BrokenLinkReason(int errno) => errno switch
    {
        2 or 20 => new FileNotFoundException("broken symbolic link (its target does not exist)"),
        LoopErrno => new IOException("symbolic link loop (the link leads back to itself)", LoopErrno),
        13 => new UnauthorizedAccessException("permission denied (following the symbolic link)"),
        _ => new IOException($"cannot follow the symbolic link: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}", errno),
    };

    private static Entry? ToEntry(ref FileSystemEntry e, SafeFileHandle? folder, bool followSymlinks, bool links)
    {
        var name = e.FileName.ToString();
        var found = folder is not null ? FileNode.TryGetEntry(folder, e.FileName, out var node) : FileNode.TryGet(e.ToFullPath(), followLink: false, out node, out _);
        if (FileNames.HasUndecodableBytes(name) && !found)
        {
            // .NET could not decode the name, so it cannot open it either: say so, rather than "not found" later.
            var link = (e.Attributes & FileAttributes.ReparsePoint) != 0;
            return new Entry(name, e.IsDirectory && !link, link, 0, default) { Error = new UnusableNameException() };
        }

        if (found && node.Kind != FileNodeKind.SymbolicLink)
        {
            // One statx of the entry itself says what it is, its size and time: asking .NET costs an lstat and a
            // geteuid (its attributes), two system calls per file instead of one.
            return node.Kind switch
            {
                FileNodeKind.Directory => new Entry(name, true, false, node.Length, node.LastWriteTimeUtc),
                FileNodeKind.Regular => new Entry(name, false, false, node.Length, node.LastWriteTimeUtc),
                _ => new Entry(name, false, false, 0, default) { Error = new NotRegularFileException(node.Kind) },
            };
        }

        var isLink = found || (e.Attributes & FileAttributes.ReparsePoint) != 0;
        if (!isLink)
        {
            // Named pipes, sockets and devices report a size of 0 and look like files: only those need asking.
            if (!e.IsDirectory && e.Length == 0 && FileNode.TryGet(e.ToFullPath(), followLink: false, out var special, out _)
                && special.Kind is not (FileNodeKind.Regular or FileNodeKind.Directory))
            {
                return new Entry(name, false, false, 0, default) { Error = new NotRegularFileException(special.Kind) };
            }

            return new Entry(name, e.IsDirectory, false, e.Length, e.LastWriteTimeUtc.UtcDateTime);
        }

        if (!followSymlinks)
        {
            return links ? new Entry(name, Directory.Exists(e.ToFullPath()), true, 0, default) { NotFollowed = true } : null;
        }

        // What the link leads to decides what it is; nothing is opened to find out.
        var fullPath = e.ToFullPath();
        if (!FileNode.TryGet(fullPath, followLink: true, out var target, out var errno))
        {
            if (!FileNode.Available)
            {
                return Directory.Exists(fullPath) ? new Entry(name, true, true, 0, default)
                    : new FileInfo(fullPath) is { Exists: true } info ? new Entry(name, false, true, info.Length, info.LastWriteTimeUtc) : null;
            }

            return new Entry(name, false, true, 0, default) { Error = BrokenLinkReason(errno) };
        }

        return Followed(name, target);
    }

    private sealed record Entry(string Name, bool IsDirectory, bool IsLink, long Length, DateTime LastWriteTimeUtc)
    {
        public string SortKey { get; } = IsDirectory ? Name + "/" : Name;

        /// <summary>Why this entry cannot be taken (a special file, a broken link, an undecodable name): it becomes a failed result.</summary>
        public Exception? Error { get; init; }

        /// <summary>A symbolic link left out because links are not followed: only told (see <see cref="Enumerate(FileSelection, Action{string}, CancellationToken)"/>).</summary>
        public bool NotFollowed { get; init; }

        /// <summary>What the walk saw there (a link's target when followed); a default node where that is not known.</summary>
        public FileNode Node { get; init; }
    }
}
