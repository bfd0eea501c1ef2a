using Pipeline.Safety;

namespace Pipeline.Sources;

/// <summary>
/// Folders or files the walk never takes (the output folder, the run's own report and log), recognised as what they
/// are on disk — device and inode — however a path or a link leads there; by resolved path where identities are unknown.
/// </summary>
internal sealed class ExcludedNodes
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly (string Path, FileNode? Node)[] _items;

    public ExcludedNodes(IEnumerable<string> paths)
    {
        // A plain loop: a query here is JIT-compiled at every start (a generic over FileNode is not precompiled).
        var items = new List<(string, FileNode?)>();
        foreach (var path in paths)
        {
            items.Add((Normalize(path), FileNode.Find(path)));
        }

        _items = [.. items];
    }

    public int Count => _items.Length;

    /// <summary>Whether <paramref name="path"/> (whose node is <paramref name="node"/>, if known) is one of them.</summary>
    public bool Is(string path, FileNode? node) =>
        Array.Exists(_items, item => item.Node is { } mine && node is { } other
            ? mine.IsSameNode(other)
            : string.Equals(item.Path, Normalize(path), PathComparison));

    /// <summary>
    /// Whether the followed link <paramref name="linkPath"/> leads inside one of them: its target's folders, up to the
    /// root as the kernel resolves "..", are compared with each. (A link to a subfolder of the output folder, or to a
    /// file in it, reaches the output as surely as a link to the folder itself.)
    /// </summary>
    public bool Holds(string linkPath, FileNode? targetNode)
    {
        if (!FileNode.Available || Array.TrueForAll(_items, i => i.Node is null))
        {
            return false;
        }

        string? folder;
        if (targetNode is { Kind: FileNodeKind.Directory })
        {
            folder = linkPath;
        }
        else
        {
            try
            {
                folder = Path.GetDirectoryName(File.ResolveLinkTarget(linkPath, returnFinalTarget: true)?.FullName ?? linkPath);
            }
            catch (IOException)
            {
                return false;
            }
        }

        return folder is not null && FileNode.Ancestry(folder).Any(node => Array.Exists(_items, item => item.Node is { } mine && mine.IsSameNode(node)));
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
