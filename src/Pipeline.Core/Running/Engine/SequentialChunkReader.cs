using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Running.Engine;

/// <summary>
/// The sequential runner's chunk source: each chunk is read when asked for, on the caller's thread, with no read-ahead,
/// so the baseline does one thing at a time. It hands out the same chunks as <see cref="ChunkReader"/>.
/// </summary>
internal sealed class SequentialChunkReader(SafeFileHandle handle, int chunkSize, Safety.FileNode opened) : IChunkSource
{
    private bool _ended;

    public long BytesRead { get; private set; }

    public ValueTask<ChunkReader.Chunk?> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ended)
        {
            return ValueTask.FromResult<ChunkReader.Chunk?>(null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        int n;
        try
        {
            n = FileJob.ReadFull(handle, buffer.AsSpan(0, chunkSize), BytesRead, opened.Length);
            if (n < chunkSize)
            {
                // The end: all of it, and still as it was when opened (see ChangedDuringTheRun).
                Safety.ChangedDuringTheRun.ThrowIfChanged(handle, opened, BytesRead + n);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        _ended = n < chunkSize;
        if (n == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.FromResult<ChunkReader.Chunk?>(null);
        }

        BytesRead += n;
        return ValueTask.FromResult<ChunkReader.Chunk?>(new ChunkReader.Chunk(buffer, n));
    }

    public ValueTask DisposeAsync()
    {
        handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
