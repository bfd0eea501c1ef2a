using System.IO.Enumeration;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Win32.SafeHandles;
using Pipeline.Safety;

namespace Pipeline.Sources;

/// <summary>
/// Walks an input root lazily, depth first, and yields the regular files a <see cref="FileSelection"/> takes,
/// in ordinal order of their relative paths. Only one folder's entries are held at a time per level, so
/// memory does not grow with the number of files.
/// </summary>
public static partial class GlobFileSource
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    // ELOOP: the error number a link loop is reported with, so that its failure's kind says so.
    private const int LoopErrno = 40;

    /// <summary>Enumerates the selected files. The walk happens as the sequence is read.</summary>
    /// <param name="selection">What to take: the input root and the patterns.</param>
    /// <param name="linkNotFollowed">
    /// Told of each symbolic link the walk leaves out because <see cref="FileSelection.FollowSymlinks"/> is off (its
    /// relative path, a folder's ending in <c>/</c>): those the patterns would take, a link to a folder if a file below it
    /// could match. Nothing is opened to tell them; a link's target is asked what it is. Default: <see langword="null"/>, not told.
    /// </param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The selected files, in ordinal order of their relative paths.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The input root does not exist.</exception>
    public static IEnumerable<SourceFile> Enumerate(FileSelection selection, Action<string>? linkNotFollowed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (!Directory.Exists(selection.InputRoot))
        {
            throw new DirectoryNotFoundException($"input folder not found: {selection.InputRoot}");
        }

        return EnumerateCore(selection, selection.FollowSymlinks ? null : linkNotFollowed, cancellationToken);
    }

    private static IEnumerable<SourceFile> EnumerateCore(FileSelection selection, Action<string>? linkNotFollowed, CancellationToken cancellationToken)
    {
        var links = linkNotFollowed is not null;
        // The default selection takes everything: skip matching altogether, it is the costliest part of the walk.
        Matcher? matcher = null;
        if (selection.Exclude.Count > 0 || selection.Include.Any(p => p is not (FileSelection.AllFiles or "**")))
        {
            matcher = new Matcher(PathComparison);
            matcher.AddIncludePatterns(selection.Include);
            matcher.AddExcludePatterns(selection.Exclude);
        }

        // Folders and files are compared as what they are (device + inode), so a link or a bind mount that leads to
        // the output folder is recognised as it; where identities are not available, as resolved paths.
        var excluded = new ExcludedNodes(selection.ExcludedDirectories);
        var excludedFiles = new ExcludedNodes(selection.ExcludedFiles);
        var excludedFileNames = selection.ExcludedFiles.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        // With links followed, a folder can be reached by several paths: it is walked once, at its first path in
        // ordinal order. Without, only a bind mount could do that, and the ancestor check below catches its loops.
        var walked = selection.FollowSymlinks ? new HashSet<(ulong, ulong)>() : null;
        var stack = new Stack<DirectoryFrame>();
        var prune = matcher is null ? null : new IncludePrefixes(selection.Include, PathComparison);
        SafeFileHandle? rootHandle = null;
        if (FolderListing.Available && (rootHandle = FolderListing.OpenRoot(selection.InputRoot, out var rootErrno)) is null)
        {
            throw new IOException($"cannot read input folder {selection.InputRoot}: {RegularFile.OpenError(selection.InputRoot, rootErrno).Message}");
        }

        var root = NewFrame(selection.InputRoot, string.Empty, ReadEntries(rootHandle, selection.InputRoot, selection.FollowSymlinks, links, out var rootError), matcher, selection.InputRoot);
        root.Handle = rootHandle;
        if (rootError is not null)
        {
            rootHandle?.Dispose();
            throw new IOException($"cannot read input folder {selection.InputRoot}: {rootError.Message}", rootError);
        }

        root.Node = rootHandle is not null && FileNode.TryGet(rootHandle, out var rootNode) ? rootNode : FileNode.Find(selection.InputRoot);
        try
        {
            MarkWalked(walked, root.Node);
            stack.Push(root);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var frame = stack.Peek();
                if (frame.Index >= frame.Entries.Count)
                {
                    stack.Pop().Handle?.Dispose();
                    continue;
                }

                var entry = frame.Entries[frame.Index++];
                var fullPath = Path.Join(frame.FullPath, entry.Name);
                var relativePath = frame.RelativePath.Length == 0 ? entry.Name : frame.RelativePath + "/" + entry.Name;
                if (entry.NotFollowed)
                {
                    var taken = entry.IsDirectory ? prune is null || prune.CouldHoldMatches(relativePath) : frame.Matched is null || frame.Matched.Contains(entry.Name);
                    if (taken && entry.Name != Unattended.RunJournal.FolderName)
                    {
                        linkNotFollowed!(entry.IsDirectory ? relativePath + "/" : relativePath);
                    }

                    continue;
                }

                if (entry.Error is { } entryError)
                {
                    if (frame.Matched is null || frame.Matched.Contains(entry.Name) || (entry.IsDirectory && (prune is null || prune.CouldHoldMatches(relativePath))))
                    {
                        yield return new SourceFile(entry.IsDirectory ? relativePath + "/" : relativePath, fullPath, 0, default) { Failure = entryError };
                    }

                    continue;
                }

                if (entry.IsDirectory)
                {
                    // A run's state folder (lock, journal) is never input, wherever an earlier output tree sits.
                    if (entry.Name == Unattended.RunJournal.FolderName)
                    {
                        continue;
                    }

                    if (prune is not null && !prune.CouldHoldMatches(relativePath))
                    {
                        continue; // no include pattern can take a file below it: its contents (and errors) are not the run's
                    }

                    var node = entry.Node.IsKnown ? entry.Node : FileNode.Find(fullPath);
                    if (excluded.Is(fullPath, node) || (entry.IsLink && excluded.Holds(fullPath, node)))
                    {
                        continue; // the output folder (or a run's state) is never input, whatever leads there
                    }

                    if (node is { } n && stack.FirstOrDefault(f => f.Node is { } a && a.IsSameNode(n)) is { } ancestor)
                    {
                        var back = ancestor.RelativePath.Length == 0 ? "the input folder" : ancestor.RelativePath;
                        yield return new SourceFile(relativePath + "/", fullPath, 0, default) { Failure = new IOException($"symbolic link loop: leads back to {back}; not followed", LoopErrno) };
                        continue;
                    }

                    if (node is { } seen && walked is not null && !walked.Add((seen.Device, seen.Inode)))
                    {
                        continue; // reached before by another path, and walked there
                    }

                    Exception? error = null;
                    SafeFileHandle? handle = null;
                    if (frame.Handle is { } parent && (handle = FolderListing.OpenChild(parent, entry.Name, entry.IsLink, entry.Node, out error)) is null)
                    {
                        yield return new SourceFile(relativePath + "/", fullPath, 0, default) { Failure = error };
                        continue;
                    }

                    var children = ReadEntries(handle, fullPath, selection.FollowSymlinks, links, out error);
                    if (error is not null)
                    {
                        handle?.Dispose();
                        yield return new SourceFile(relativePath + "/", fullPath, 0, default) { Failure = error };
                        continue;
                    }

                    var child = NewFrame(fullPath, relativePath, children, matcher, selection.InputRoot);
                    child.Node = node;
                    child.Handle = handle;
                    stack.Push(child);
                    continue;
                }

                if (frame.Matched is not null && !frame.Matched.Contains(entry.Name))
                {
                    continue;
                }

                if (excludedFiles.Count > 0 && (entry.IsLink || excludedFileNames.Contains(entry.Name)) && excludedFiles.Is(fullPath, FileNode.Find(fullPath)))
                {
                    continue;
                }

                if (entry.IsLink && excluded.Count > 0 && excluded.Holds(fullPath, null))
                {
                    continue; // a link to a file inside the output folder: the output is never read as input
                }

                yield return new SourceFile(relativePath, fullPath, entry.Length, entry.LastWriteTimeUtc) { Node = entry.Node };
            }
        }
        finally
        {
            // Left early (or failed): the folders still open on the way down are closed.
            while (stack.Count > 0)
            {
                stack.Pop().Handle?.Dispose();
            }
        }
    }

    private static void MarkWalked(HashSet<(ulong, ulong)>? walked, FileNode? node)
    {
        if (walked is not null && node is { } n)
        {
            walked.Add((n.Device, n.Inode));
        }
    }


    /// <summary>Matches a folder's files in one call: the matcher's fixed cost per call dwarfs its cost per file.</summary>
    private static DirectoryFrame NewFrame(string fullPath, string relativePath, List<Entry> entries, Matcher? matcher, string inputRoot)
    {
        var frame = new DirectoryFrame(fullPath, relativePath, entries);
        if (matcher is null)
        {
            return frame;
        }

        var prefix = relativePath.Length == 0 ? string.Empty : relativePath + "/";
        var candidates = entries.Where(e => !e.IsDirectory).Select(e => Path.Join(inputRoot, prefix + e.Name)).ToList();
        frame.Matched = new HashSet<string>(StringComparer.Ordinal);
        if (candidates.Count > 0)
        {
            foreach (var match in matcher.Match(inputRoot, candidates).Files)
            {
                var slash = match.Path.LastIndexOf('/');
                frame.Matched.Add(slash < 0 ? match.Path : match.Path[(slash + 1)..]);
            }
        }

        return frame;
    }

    private static string NormalizeDirectory(string path) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private sealed class DirectoryFrame(string fullPath, string relativePath, List<Entry> entries)
    {
        public string FullPath { get; } = fullPath;

        public string RelativePath { get; } = relativePath;

        public List<Entry> Entries { get; } = entries;

        public int Index { get; set; }

        /// <summary>The folder, open, while the walk is in it (Linux): its entries are opened relative to it.</summary>
        public SafeFileHandle? Handle { get; set; }

        /// <summary>The folder's identity, to recognise it when a link leads back to it.</summary>
        public FileNode? Node { get; set; }

        /// <summary>Names of this folder's files the patterns take; <see langword="null"/> when every file is taken.</summary>
        public HashSet<string>? Matched { get; set; }
    }
}
