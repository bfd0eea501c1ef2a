using System.Buffers;
using Pipeline.IO;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>One file on its way through the pipeline's three stages.</summary>
internal sealed class WorkItem(SourceFile file, long started)
{
    public SourceFile File { get; } = file;

    public long Started { get; } = started;

    /// <summary>Set as soon as the file's outcome is known early (failed, cancelled); later stages pass it on.</summary>
    public FileResult? Result { get; set; }

    /// <summary>The whole content of a small file, rented from the pool.</summary>
    public byte[]? Input { get; set; }

    public int InputLength { get; set; }

    /// <summary>The reader of a file larger than one chunk, which streams through the CPU stage.</summary>
    public ChunkReader? Streamed { get; set; }

    public long BytesIn { get; set; }

    /// <summary>The output of a small file, to be written by the writer stage.</summary>
    public PooledBufferWriter? Output { get; set; }

    /// <summary>The output of a streamed file, written by the CPU stage and committed by the writer stage.</summary>
    public AtomicFileWriter? PendingWrite { get; set; }

    public object? Artifact { get; set; }

    public void ReleaseInput()
    {
        if (Input is { } input)
        {
            ArrayPool<byte>.Shared.Return(input);
            Input = null;
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

        if (PendingWrite is { } pending)
        {
            PendingWrite = null;
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }
}
