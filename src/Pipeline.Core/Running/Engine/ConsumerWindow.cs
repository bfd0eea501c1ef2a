namespace Pipeline.Running.Engine;

/// <summary>
/// Back pressure from whoever reads a run's results as a stream (<see cref="DataflowRunner.StreamResultsAsync"/>): the feed
/// takes a file only while it is less than <see cref="Size"/> places ahead of the results the reader has taken, so a
/// slow reader holds the run at a bounded number of files in flight or waiting for it, however many files there are.
/// </summary>
internal sealed class ConsumerWindow(long size)
{
    private readonly SequenceWindow _window = new(size);
    private long _taken;

    /// <summary>How far ahead of the reader a file may be taken.</summary>
    public long Size => _window.Size;

    /// <summary>
    /// The window for <paramref name="options"/>: twice what the pipeline's three stages hold at once, in files
    /// (the reader's and the writer's I/O concurrency and the CPU stage's parallelism, each a batch of small files),
    /// so that a reader that keeps up never makes the stages wait for it: 128 × (IoConcurrency + MaxDegreeOfParallelism).
    /// </summary>
    public static ConsumerWindow For(PipelineOptions options) =>
        new(2L * ((2 * options.IoConcurrency) + (2 * options.MaxDegreeOfParallelism)) * FileBatch.MaxFiles);

    /// <summary>The reader took one more result (one reader: the stream's loop).</summary>
    public void Took() => _window.MoveTo(Interlocked.Increment(ref _taken));

    /// <summary>Completes once the file of <paramref name="sequence"/> is less than <see cref="Size"/> places ahead of the results taken.</summary>
    public Task WaitForRoomAsync(long sequence) => _window.WaitForRoomAsync(sequence);
}
