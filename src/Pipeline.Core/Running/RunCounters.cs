using Pipeline.Sources;

namespace Pipeline.Running;

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

    public RunProgress Snapshot(TimeSpan elapsed, FileResult? last) => new(
        Interlocked.Read(ref _filesFound),
        _walkCompleted,
        Interlocked.Read(ref _filesDone),
        Interlocked.Read(ref _filesFailed),
        Interlocked.Read(ref _bytesDone),
        elapsed,
        last,
        Interlocked.Read(ref _bytesFound),
        Interlocked.Read(ref _bytesRead));
}
