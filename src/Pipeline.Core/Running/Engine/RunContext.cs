using System.Numerics;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>What every file of one run shares, fixed when the run is built (later changes to the options never reach it).</summary>
/// <param name="Transform">What to do to each file.</param>
/// <param name="OutputRoot">The output folder, absolute.</param>
/// <param name="ChunkSize">Bytes read at a time; a larger file streams.</param>
/// <param name="Budget">The run's memory budget.</param>
/// <param name="Retry">The one retry loop, with its clock.</param>
/// <param name="Guard">Checks every output path before it is written.</param>
/// <param name="ErrorLimit">Stops starting files once enough have failed; <see langword="null"/> for no limit.</param>
/// <param name="Counters">Progress counters; <see langword="null"/> when nobody reads them.</param>
/// <param name="InFlight">Every file admitted and not yet finished, so a fault or a cancellation can dispose what they hold.</param>
/// <param name="Sequential">The baseline's way: chunks read when asked for, writes synchronous; otherwise read-ahead and asynchronous writes.</param>
/// <param name="Parallelism">The CPU stage's parallelism: how many files' or chunks' CPU work runs at once (1 in the sequential runner).</param>
/// <param name="CancellationToken">Abandons files in flight, without partial outputs.</param>
internal sealed record RunContext(
    IFileTransform Transform,
    string OutputRoot,
    int ChunkSize,
    MemoryBudget Budget,
    RetryPolicy Retry,
    OutputGuard Guard,
    ErrorLimit? ErrorLimit,
    RunCounters? Counters,
    FilesInFlight InFlight,
    bool Sequential,
    int Parallelism,
    CancellationToken CancellationToken)
{
    /// <summary>
    /// The run's cores: every piece of CPU work of the pipeline (a whole file in memory, a streamed file's chunk, a chunk
    /// processed apart on the thread pool) holds one while it computes, so that no more than <see cref="Parallelism"/>
    /// compute at once, whether they come from many files or from one large file cut into chunks. The CPU stage's block
    /// admits <see cref="Parallelism"/> files too, but a file whose chunks compute apart only waits for them there.
    /// <see langword="null"/> in the sequential runner, where everything runs on one thread anyway.
    /// </summary>
    private SemaphoreSlim? Cores { get; } = Sequential ? null : new SemaphoreSlim(Parallelism, Parallelism);

    /// <summary>Waits for one of the run's cores (see <see cref="Cores"/>); dispose the slot when the computation ends.</summary>
    public async ValueTask<CoreSlot> TakeCoreAsync(CancellationToken cancellationToken)
    {
        if (Cores is { } cores)
        {
            await cores.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CoreSlot(Cores);
    }

    /// <summary>Whether the walk followed symbolic links: if not, a link found where the walk saw a file is never followed.</summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>
    /// How many files a transform that waits (<see cref="IAsyncFileTransform"/>) may have waiting at once: its own
    /// <see cref="IAsyncFileTransform.MaxConcurrency"/>, or <see cref="Parallelism"/>; <see langword="null"/> in the
    /// sequential runner (one at a time anyway) and for CPU transforms.
    /// </summary>
    private SemaphoreSlim? WaitSlots { get; } = Sequential || Transform is not IAsyncFileTransform waiting
        ? null
        : new SemaphoreSlim(waiting.MaxConcurrency ?? Parallelism, waiting.MaxConcurrency ?? Parallelism);

    /// <summary>Waits for one of the run's wait slots (see <see cref="WaitSlots"/>); dispose the slot when the wait ends.</summary>
    public async ValueTask<CoreSlot> TakeWaitSlotAsync(CancellationToken cancellationToken)
    {
        if (WaitSlots is { } slots)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CoreSlot(WaitSlots);
    }

    /// <summary>The folders of the files being read, kept open to open each file relative to its folder (see <see cref="FolderHandles"/>); closed with the run's session.</summary>
    public FolderHandles Folders { get; } = new();

    /// <summary>The buffers small files are read into, kept for the run (up to a quarter of the budget, at most 16 MiB, of returned ones).</summary>
    public IO.SmallBufferPool SmallBuffers { get; } = new(Math.Min(Budget.Limit / 4, 16L * 1024 * 1024));

    /// <summary>Chunks a streamed file may have read ahead of the CPU stage.</summary>
    public const int ReadAhead = 2;

    /// <summary>Budget a streamed file takes at admission: its read-ahead, the chunk being read and the chunk being processed.</summary>
    public long StreamReservation => (ReadAhead + 2) * (long)ChunkSize;

    /// <summary>Output held in memory before it is written out (twice a chunk), whatever a transform produces per chunk.</summary>
    public int SpillThreshold => 2 * ChunkSize;

    /// <summary>
    /// Chunks of a streamed file of an <see cref="IIndependentChunks"/> transform held at once, whether being processed
    /// or written: one more than the parallelism (so every core can compute while a finished chunk is written; how many
    /// compute at once is up to <see cref="TakeCoreAsync"/>), fewer if the budget is small; one at a time in the
    /// sequential runner.
    /// </summary>
    public int ChunksInFlight(IIndependentChunks transform, bool hasOutput)
    {
        if (Sequential)
        {
            return 1;
        }

        var fit = (Budget.Limit - ((ReadAhead + 1) * (long)ChunkSize)) / ChunkReservation(transform, hasOutput);
        return (int)Math.Clamp(fit, 1, Parallelism + 1);
    }

    /// <summary>
    /// Budget a streamed file of an <see cref="IIndependentChunks"/> transform takes at admission: its read-ahead and the
    /// chunk being read, and for each chunk in flight its input, its history and its output if it has one (up to twice a chunk: the
    /// pool's power of two above what an incompressible chunk grows to). With one chunk in flight, that is about what
    /// any streamed file takes (<see cref="StreamReservation"/> and <see cref="SpillThreshold"/>).
    /// </summary>
    public long IndependentChunksReservation(IIndependentChunks transform, bool hasOutput) =>
        ((ReadAhead + 1) * (long)ChunkSize) + (ChunksInFlight(transform, hasOutput) * ChunkReservation(transform, hasOutput));

    /// <summary>Output of one chunk in flight held in memory before the budget grows: twice a chunk.</summary>
    public long ChunkOutputPrepaid => 2L * ChunkSize;

    // A digest's chunks (BLAKE3's subtrees) write no output: nothing to hold for it.
    private long ChunkReservation(IIndependentChunks transform, bool hasOutput) =>
        ChunkSize + transform.HistoryLength + (hasOutput ? ChunkOutputPrepaid : 0);

    /// <summary>Budget for a small file: its input buffer (the pool's power of two), and as much again for the output if it has one.</summary>
    public long SmallReservation(long length, bool hasOutput)
    {
        var rounded = (long)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(length + 1, 16, ChunkSize + 1));
        return hasOutput ? 2 * rounded : rounded;
    }
}

/// <summary>One of the run's cores, held while a computation runs (see <see cref="RunContext.TakeCoreAsync"/>).</summary>
internal readonly struct CoreSlot(SemaphoreSlim? cores) : IDisposable
{
    public void Dispose() => cores?.Release();
}
