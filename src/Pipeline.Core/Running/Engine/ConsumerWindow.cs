namespace Pipeline.Running.Engine;

/// <summary>
/// Back pressure from whoever reads a run's results as a stream (<see cref="DataflowRunner.StreamResultsAsync"/>): the feed
/// takes a file only while it is less than <see cref="Size"/> places ahead of the results the reader has taken, so a
/// slow reader holds the run at a bounded number of files in flight or waiting for it, however many files there are.
/// </summary>
internal sealed class ConsumerWindow(long size)
{
    private readonly Lock _lock = new();
    private long _taken;
    private TaskCompletionSource? _room;
    private long _roomFor;

    /// <summary>How far ahead of the reader a file may be taken.</summary>
    public long Size { get; } = size;

    /// <summary>
    /// The window for <paramref name="options"/>: twice what the pipeline's three stages hold at once, in files
    /// (the reader's and the writer's I/O concurrency and the CPU stage's parallelism, each a batch of small files),
    /// so that a reader that keeps up never makes the stages wait for it: 128 × (IoConcurrency + MaxDegreeOfParallelism).
    /// </summary>
    public static ConsumerWindow For(PipelineOptions options) =>
        new(2L * ((2 * options.IoConcurrency) + (2 * options.MaxDegreeOfParallelism)) * FileBatch.MaxFiles);

    /// <summary>The reader took one more result.</summary>
    public void Took()
    {
        lock (_lock)
        {
            _taken++;
            if (_room is not null && _roomFor - _taken < Size)
            {
                _room.TrySetResult();
                _room = null;
            }
        }
    }

    /// <summary>Completes once the file of <paramref name="sequence"/> is less than <see cref="Size"/> places ahead of the results taken.</summary>
    public Task WaitForRoomAsync(long sequence)
    {
        lock (_lock)
        {
            if (sequence - _taken < Size)
            {
                return Task.CompletedTask;
            }

            _roomFor = sequence;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
#pragma warning disable VSTHRD003 // The task is this object's own signal, completed by Took.
            return _room.Task;
#pragma warning restore VSTHRD003
        }
    }
}
