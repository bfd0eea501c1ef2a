namespace Pipeline.Running;

/// <summary>
/// Puts results back in walk order, which is ordinal order of relative paths, as they finish: a result waits here only
/// until every earlier one is known. The pipeline finishes files nearly in order, so this holds no more than the files
/// in flight, however many files the run has — the manifest, the report and every other ordered output stream from it.
/// </summary>
internal sealed class OrderedResults(Action<FileResult> next)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<FileResult, long> _waiting = new();
    private long _expected;

    /// <summary>Results waiting for an earlier one.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Takes a result (any order); hands on, in order, every result whose predecessors are all known.</summary>
    public void Add(FileResult result)
    {
        lock (_lock)
        {
            _waiting.Enqueue(result, result.Sequence);
            while (_waiting.TryPeek(out var first, out var sequence) && sequence == _expected)
            {
                _waiting.Dequeue();
                _expected++;
                next(first);
            }
        }
    }
}
