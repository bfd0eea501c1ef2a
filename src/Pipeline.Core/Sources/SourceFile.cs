namespace Pipeline.Sources;

/// <summary>One input file, as the source found it.</summary>
/// <param name="RelativePath">Path under the input root, with <c>/</c> separators.</param>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="Length">Size in bytes when the file was found.</param>
/// <param name="LastWriteTimeUtc">Last write time when the file was found.</param>
public sealed record SourceFile(string RelativePath, string FullPath, long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>Set when the source could not look into this entry (an unreadable folder, say): a run reports it as a failed file with this reason.</summary>
    public string? EnumerationError => Failure?.Message;

    /// <summary>Why the source could not take this entry, as the exception whose message is <see cref="EnumerationError"/> and whose type says its kind.</summary>
    internal Exception? Failure { get; init; }

    /// <summary>Its place in the walk (0, 1, 2, ...), which is ordinal order of relative paths: results are put back in this order as they finish.</summary>
    internal long Sequence { get; set; } = -1;

    /// <summary>
    /// The node the walk saw (device, inode, size, time, permissions, owner), where the platform tells it: the reader
    /// opens only this node, and an output keeps its permissions. A default node (not known) skips those checks.
    /// </summary>
    internal Safety.FileNode Node { get; init; }
}
