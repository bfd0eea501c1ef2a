using Pipeline.Sources;

namespace Pipeline.Running.Engine;

/// <summary>
/// Files that travel through the stages together: consecutive small files, or one large file alone. Handing a
/// stage several small files at once turns per-file hand-offs between threads (the dominant cost on trees of
/// small files) into per-batch ones; each file still has its own life (<see cref="FileJob"/>) and result.
/// </summary>
internal sealed class FileBatch(IReadOnlyList<SourceFile> files)
{
    /// <summary>Most small files in one batch.</summary>
    public const int MaxFiles = 32;

    public IReadOnlyList<SourceFile> Files { get; } = files;

    /// <summary>The files' lives, once the reader has admitted them.</summary>
    public List<FileJob> Jobs { get; } = new(files.Count);

    /// <summary>A file a resume skips, whose result is known before any step: it passes the stages untouched.</summary>
    public FileJob? Resumed { get; init; }
}
