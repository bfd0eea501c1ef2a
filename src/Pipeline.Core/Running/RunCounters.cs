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

    public void Found(long length)
    {
        Interlocked.Increment(ref _filesFound);
        Interlocked.Add(ref _bytesFound, length);
    }

    public void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void WalkCompleted() => _walkCompleted = true;

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
