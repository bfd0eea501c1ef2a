using System.Buffers;
using Pipeline.IO;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>One file on its way through the pipeline's three stages, with the memory it holds.</summary>
internal sealed class WorkItem(SourceFile file, string? outputPath, long started, MemoryBudget budget)
{
    public SourceFile File { get; } = file;

    /// <summary>The file's output, absolute, or <see langword="null"/> when the transform writes only aggregate outputs; asked of the transform once per file.</summary>
    public string? OutputPath { get; } = outputPath;

    public long Started { get; } = started;

    /// <summary>Set as soon as the file's outcome is known early (failed, cancelled); later stages pass it on.</summary>
    public FileResult? Result { get; set; }

    /// <summary>The whole content of a small file, rented from the pool.</summary>
    public byte[]? Input { get; set; }

    public int InputLength { get; set; }

    /// <summary>Bytes of the budget held for <see cref="Input"/>, or for <see cref="Streamed"/>'s read-ahead.</summary>
    public long Reserved { get; set; }

    /// <summary>Bytes of the budget this item holds for its output buffer (released with it).</summary>
    public long OutputReserved { get; set; }

    /// <summary>Output capacity already covered by a reservation (this item's or its batch's); <see cref="Output"/> counts only what goes beyond.</summary>
    public long OutputPrepaid { get; set; }

    /// <summary>The reader of a file larger than one chunk, which streams through the CPU stage.</summary>
    public ChunkReader? Streamed { get; set; }

    public long BytesIn { get; set; }

    /// <summary>Output not yet written (all of a small file's, or the tail of a spilled one).</summary>
    public PooledBufferWriter? Output { get; set; }

    /// <summary>The output file, once bytes have been written to it before the writer stage (streamed or spilled output).</summary>
    public AtomicFileWriter? PendingWrite { get; set; }

    public object? Artifact { get; set; }

    public void ReleaseInput()
    {
        if (Input is { } input)
        {
            ArrayPool<byte>.Shared.Return(input);
            Input = null;
        }

        ReleaseReservation();
    }

    public void ReleaseReservation()
    {
        if (Reserved > 0)
        {
            budget.Release(Reserved);
            Reserved = 0;
        }
    }

    /// <summary>Frees everything the item holds; an uncommitted output's temporary file is deleted.</summary>
    public async ValueTask ReleaseAllAsync()
    {
        ReleaseInput();
        Output?.Dispose();
        Output = null;
        if (Streamed is { } streamed)
        {
            Streamed = null;
            await streamed.DisposeAsync().ConfigureAwait(false);
        }

        ReleaseReservation();
        if (OutputReserved > 0)
        {
            budget.Release(OutputReserved);
            OutputReserved = 0;
        }

        if (PendingWrite is { } pending)
        {
            PendingWrite = null;
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }
}
