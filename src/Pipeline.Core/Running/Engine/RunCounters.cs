using Pipeline.Sources;

namespace Pipeline.Running.Engine;

/// <summary>Counters a run updates from several threads and its progress reports read.</summary>
internal sealed class RunCounters
{
    private long _filesFound;
    private long _bytesFound;
    private long _bytesRead;
    private long _filesDone;
    private long _filesFailed;
    private long _bytesDone;
    private volatile bool _walkCompleted;
    private long _filesCounted;
    private long _bytesCounted;
    private volatile bool _countCompleted;

    /// <summary>
    /// The walk's files, each counted as found as it is handed on, and the walk's end counted before its last file is
    /// handed on (one file is looked ahead): every result reported, the last one included, comes after the walk's end
    /// is known, whatever reaches the results first (a resumed run's skips do at once). Both runners take their files so.
    /// </summary>
    public IEnumerable<SourceFile> Found(IEnumerable<SourceFile> walk)
    {
        using var files = walk.GetEnumerator();
        var more = files.MoveNext();
        while (more)
        {
            var file = files.Current;
            Interlocked.Increment(ref _filesFound);
            Interlocked.Add(ref _bytesFound, file.Length);
            more = files.MoveNext();
            if (!more)
            {
                _walkCompleted = true;
            }

            yield return file;
        }

        _walkCompleted = true; // a walk with no file
    }

    /// <summary>
    /// Counts the files and bytes of a second walk of the same selection, which only looks at names and sizes and so
    /// runs ahead of the work (the run's own walk goes only as fast as the files are processed): a progress display
    /// has its total, and an ETA, in the first seconds. Its figures stand in for the walk's while it is ahead of it.
    /// </summary>
    public void CountAhead(IEnumerable<SourceFile> walk, CancellationToken cancellationToken)
    {
        foreach (var file in walk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Add(ref _bytesCounted, file.Length);
            Interlocked.Increment(ref _filesCounted);
        }

        _countCompleted = true;
    }

    public void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void Done(FileResult result)
    {
        Interlocked.Increment(ref _filesDone);
        if (result.Status == FileStatus.Failed)
        {
            Interlocked.Increment(ref _filesFailed);
        }

        Interlocked.Add(ref _bytesDone, result.BytesIn);
        if (result.Status == FileStatus.Skipped)
        {
            // Skipped files count as read: the job's remaining work no longer includes them.
            Interlocked.Add(ref _bytesRead, result.Length);
        }
    }

    public RunProgress Snapshot(TimeSpan elapsed, FileResult? last)
    {
        var walkCompleted = _walkCompleted;
        var filesFound = Interlocked.Read(ref _filesFound);
        var bytesFound = Interlocked.Read(ref _bytesFound);
        if (!walkCompleted)
        {
            // The count ahead, while it is ahead; its end is the total unless the walk has since found more (a file
            // created during the run): then the walk's own figures, with no total until it ends.
            var countCompleted = _countCompleted;
            var filesCounted = Interlocked.Read(ref _filesCounted);
            if (filesCounted >= filesFound)
            {
                filesFound = filesCounted;
                bytesFound = Math.Max(bytesFound, Interlocked.Read(ref _bytesCounted));
                walkCompleted = countCompleted;
            }
        }

        return new(
            filesFound,
            walkCompleted,
            Interlocked.Read(ref _filesDone),
            Interlocked.Read(ref _filesFailed),
            Interlocked.Read(ref _bytesDone),
            elapsed,
            last,
            bytesFound,
            Interlocked.Read(ref _bytesRead));
    }
}
