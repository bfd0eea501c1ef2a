using System.IO.Enumeration;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Sources;

/// <summary>
/// Walks an input root lazily, depth first, and yields the regular files a <see cref="FileSelection"/> takes,
/// in ordinal order of their relative paths. Only one folder's entries are held at a time per level, so
/// memory does not grow with the number of files.
/// </summary>
public static class GlobFileSource
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Enumerates the selected files. The walk happens as the sequence is read.</summary>
    /// <exception cref="DirectoryNotFoundException">The input root does not exist (thrown when enumeration starts).</exception>
    public static IEnumerable<SourceFile> Enumerate(FileSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (!Directory.Exists(selection.InputRoot))
        {
            throw new DirectoryNotFoundException($"input folder not found: {selection.InputRoot}");
        }

        return EnumerateCore(selection, cancellationToken);
    }

    private static IEnumerable<SourceFile> EnumerateCore(FileSelection selection, CancellationToken cancellationToken)
    {
        // The default selection takes everything: skip matching altogether, it is the costliest part of the walk.
        Matcher? matcher = null;
        if (selection.Exclude.Count > 0 || selection.Include.Any(p => p is not (FileSelection.AllFiles or "**")))
        {
            matcher = new Matcher(PathComparison);
            matcher.AddIncludePatterns(selection.Include);
            matcher.AddExcludePatterns(selection.Exclude);
        }

        var excluded = selection.ExcludedDirectories.Select(NormalizeDirectory).ToArray();
        var stack = new Stack<DirectoryFrame>();
        stack.Push(NewFrame(selection.InputRoot, string.Empty, ReadEntries(selection.InputRoot, selection.FollowSymlinks, out var rootError), matcher, selection.InputRoot));
        if (rootError is not null)
        {
            throw new IOException($"cannot read input folder {selection.InputRoot}: {rootError}");
        }

        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = stack.Peek();
            if (frame.Index >= frame.Entries.Count)
            {
                stack.Pop();
                continue;
            }

            var entry = frame.Entries[frame.Index++];
            var fullPath = Path.Join(frame.FullPath, entry.Name);
            var relativePath = frame.RelativePath.Length == 0 ? entry.Name : frame.RelativePath + "/" + entry.Name;

            if (entry.IsDirectory)
            {
                // A run's state folder (lock, journal) is never input, wherever an earlier output tree sits.
                if (entry.Name == Unattended.RunJournal.FolderName
                    || Array.Exists(excluded, e => string.Equals(e, NormalizeDirectory(fullPath), PathComparison))
                    || (entry.IsLink && IsOnAncestorChain(stack, fullPath)))
                {
                    continue;
                }

                var children = ReadEntries(fullPath, selection.FollowSymlinks, out var error);
                if (error is not null)
                {
                    yield return new SourceFile(relativePath + "/", fullPath, 0, default) { EnumerationError = error };
                    continue;
                }

                stack.Push(NewFrame(fullPath, relativePath, children, matcher, selection.InputRoot));
                continue;
            }

            if (frame.Matched is null || frame.Matched.Contains(entry.Name))
            {
                yield return new SourceFile(relativePath, fullPath, entry.Length, entry.LastWriteTimeUtc)
                {
                    // Special files report size 0; a named pipe would block the reader forever.
                    EnumerationError = entry.Length == 0 && SpecialFiles.Describe(fullPath) is { } kind ? $"not a regular file ({kind})" : null,
                };
            }
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

    private static bool IsOnAncestorChain(Stack<DirectoryFrame> stack, string linkPath)
    {
        // A followed link that points back at one of its own ancestors would make the walk endless.
        string target;
        try
        {
            target = Directory.ResolveLinkTarget(linkPath, returnFinalTarget: true)?.FullName ?? linkPath;
        }
        catch (IOException)
        {
            return true;
        }

        target = NormalizeDirectory(target);
        foreach (var frame in stack)
        {
            if (string.Equals(NormalizeDirectory(RealPath(frame.FullPath)), target, PathComparison))
            {
                return true;
            }
        }

        return false;
    }

    private static string RealPath(string path)
    {
        try
        {
            return Directory.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string NormalizeDirectory(string path) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static List<Entry> ReadEntries(string directory, bool followSymlinks, out string? error)
    {
        error = null;
        var entries = new List<Entry>();
        try
        {
            var enumerable = new FileSystemEnumerable<Entry?>(
                directory,
                (ref FileSystemEntry e) => ToEntry(ref e, followSymlinks),
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
            error = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
            return entries;
        }

        // A folder sorts as "name/" so that a depth-first walk yields full paths in ordinal order
        // ("a-b" < "a/x" because '-' < '/').
        entries.Sort(static (x, y) => string.CompareOrdinal(x.SortKey, y.SortKey));
        return entries;
    }

    private static Entry? ToEntry(ref FileSystemEntry e, bool followSymlinks)
    {
        var isLink = (e.Attributes & FileAttributes.ReparsePoint) != 0;
        var name = e.FileName.ToString();
        if (!isLink)
        {
            return new Entry(name, e.IsDirectory, false, e.Length, e.LastWriteTimeUtc.UtcDateTime);
        }

        if (!followSymlinks)
        {
            return null;
        }

        var fullPath = e.ToFullPath();
        if (Directory.Exists(fullPath))
        {
            return new Entry(name, true, true, 0, default);
        }

        var target = new FileInfo(fullPath);
        return target.Exists ? new Entry(name, false, true, target.Length, target.LastWriteTimeUtc) : null;
    }

    private sealed record Entry(string Name, bool IsDirectory, bool IsLink, long Length, DateTime LastWriteTimeUtc)
    {
        public string SortKey { get; } = IsDirectory ? Name + "/" : Name;
    }

    private sealed class DirectoryFrame(string fullPath, string relativePath, List<Entry> entries)
    {
        public string FullPath { get; } = fullPath;

        public string RelativePath { get; } = relativePath;

        public List<Entry> Entries { get; } = entries;

        public int Index { get; set; }

        /// <summary>Names of this folder's files the patterns take; <see langword="null"/> when every file is taken.</summary>
        public HashSet<string>? Matched { get; set; }
    }
}
