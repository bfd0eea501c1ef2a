using System.Numerics;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running;

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
/// <param name="CancellationToken">Abandons files in flight, without partial outputs.</param>
internal sealed record FileJobContext(
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
    CancellationToken CancellationToken)
{
    /// <summary>Chunks a streamed file may have read ahead of the CPU stage.</summary>
    public const int ReadAhead = 2;

    /// <summary>Budget a streamed file takes at admission: its read-ahead, the chunk being read and the chunk being processed.</summary>
    public long StreamReservation => (ReadAhead + 2) * (long)ChunkSize;

    /// <summary>Output held in memory before it is written out (twice a chunk), whatever a transform produces per chunk.</summary>
    public int SpillThreshold => 2 * ChunkSize;

    /// <summary>Budget for a small file: its input buffer (the pool's power of two), and as much again for the output if it has one.</summary>
    public long SmallReservation(long length, bool hasOutput)
    {
        var rounded = (long)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(length + 1, 16, ChunkSize + 1));
        return hasOutput ? 2 * rounded : rounded;
    }
}
