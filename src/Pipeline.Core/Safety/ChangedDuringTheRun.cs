namespace Pipeline.Safety;

/// <summary>
/// An input that is no longer what the walk saw (a link or another file in its place, or a folder on its path
/// swapped), or whose size or modification time changed while it was read, as tar and rsync report "file changed as
/// we read it": it is never read on, and no output or manifest line claims its content.
/// </summary>
internal sealed class ChangedDuringTheRun(string reason, bool replaced) : IOException(reason)
{
    public const string FolderReason = "changed during the run: the folder is no longer the one the walk listed (a link or another folder in its place); not entered";
    public const string ReplacedReason = "changed during the run: the file is no longer the one the walk found (a link or another file in its place); not read";
    public const string WalkStampReason = "changed during the run: its size or modification time is not what the walk found";
    public const string ReadStampReason = "changed during the run: it changed while it was read (size or modification time)";

    /// <summary>Whether another node stands where the walk saw the file (never retried), rather than its content changing (which a retry may read whole).</summary>
    public bool Replaced { get; } = replaced;

    /// <summary>Another folder (or a link) in the place of a folder the walk listed.</summary>
    public static ChangedDuringTheRun Folder() => new(FolderReason, replaced: true);

    /// <summary>Another node in the walked file's place.</summary>
    public static ChangedDuringTheRun Replacement() => new(ReplacedReason, replaced: true);

    /// <summary>
    /// Checks, at the end of a read, that the file open as <paramref name="handle"/> is still as it was when opened
    /// (<paramref name="opened"/>) and that <paramref name="bytesRead"/> is all of it.
    /// </summary>
    /// <exception cref="ChangedDuringTheRun">It is not.</exception>
    public static void ThrowIfChanged(Microsoft.Win32.SafeHandles.SafeFileHandle handle, FileNode opened, long bytesRead)
    {
        if (!opened.IsKnown)
        {
            return;
        }

        if (bytesRead != opened.Length || !FileNode.TryGet(handle, out var now) || !now.HasSameContentStamp(opened))
        {
            throw new ChangedDuringTheRun(ReadStampReason, replaced: false);
        }
    }
}
