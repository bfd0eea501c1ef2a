namespace Pipeline.Running.Engine;

/// <summary>
/// Puts results back in walk order, which is ordinal order of relative paths, as they finish: a result waits here only
/// until every earlier one is known. The pipeline finishes files nearly in order, so this holds about the files in
/// flight, however many files the run has — the manifest, the report and every other ordered output stream from it.
/// One slow file (a large one being hashed, say) would let the others run ahead without end, and skipped files come in
/// as fast as the walk finds them: so whoever feeds the run waits for <see cref="WaitForRoomAsync"/> before it takes a file more
/// than <see cref="Window"/> ahead of the first result still missing.
/// </summary>
internal sealed class OrderedResults(Action<FileResult> next)
{
    /// <summary>How far ahead of the first missing result a file may be taken: 8,192 files (a few MB of results).</summary>
    public const long Window = 8192;

    private readonly Lock _lock = new();
    private readonly PriorityQueue<FileResult, long> _waiting = new();
    private readonly SequenceWindow _window = new(Window);
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

            _window.MoveTo(_expected);
        }
    }

    /// <summary>Completes once the file of <paramref name="sequence"/> is less than <see cref="Window"/> ahead of the first result still missing.</summary>
    public Task WaitForRoomAsync(long sequence) => _window.WaitForRoomAsync(sequence);
}
