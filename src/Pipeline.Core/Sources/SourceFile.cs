namespace Pipeline.Sources;

/// <summary>One input file, as the source found it.</summary>
/// <param name="relativePath">Path under the input root, with <c>/</c> separators.</param>
/// <param name="fullPath">Absolute path on disk.</param>
/// <param name="length">Size in bytes when the file was found.</param>
/// <param name="lastWriteTimeUtc">Last write time when the file was found.</param>
/// <remarks>
/// A class, not a record: two finds of the same path are two files (a walk's position and node go with each), so
/// there is no value equality to promise.
/// </remarks>
public sealed class SourceFile(string relativePath, string fullPath, long length, DateTime lastWriteTimeUtc)
{
    /// <summary>Path under the input root, with <c>/</c> separators.</summary>
    public string RelativePath { get; } = relativePath;

    /// <summary>Absolute path on disk.</summary>
    public string FullPath { get; } = fullPath;

    /// <summary>Size in bytes when the file was found.</summary>
    public long Length { get; } = length;

    /// <summary>Last write time when the file was found.</summary>
    public DateTime LastWriteTimeUtc { get; } = lastWriteTimeUtc;

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

    /// <summary>The same file, to be reported failed for <paramref name="failure"/> instead of processed.</summary>
    internal SourceFile WithFailure(Exception failure) =>
        new(RelativePath, FullPath, Length, LastWriteTimeUtc) { Failure = failure, Sequence = Sequence, Node = Node };

    /// <inheritdoc/>
    public override string ToString() => RelativePath;
}
