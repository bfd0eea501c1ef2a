using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>
/// Files that travel through the stages together: consecutive small files, or one large file alone. Handing a
/// stage several small files at once turns per-file hand-offs between threads (the dominant cost on trees of
/// small files) into per-batch ones; each file still gets its own result.
/// </summary>
internal sealed class FileBatch
{
    /// <summary>Most small files in one batch.</summary>
    public const int MaxFiles = 32;

    public FileBatch(IReadOnlyList<SourceFile> files)
    {
        Files = files;
        Items = new List<WorkItem>(files.Count);
    }

    public IReadOnlyList<SourceFile> Files { get; }

    public List<WorkItem> Items { get; }

    /// <summary>Budget bytes the batch holds for its small files, from admission until it leaves the writer.</summary>
    public long Reserved { get; set; }
}
