using System.Buffers;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Running.Engine;

/// <summary>
/// Reads a large file ahead of its consumer in fixed-size pooled chunks, a bounded number at a time,
/// so reading overlaps the CPU work while memory stays at (capacity + 1) chunks per file.
/// </summary>
internal sealed class ChunkReader : IChunkSource
{
    private readonly SafeFileHandle _handle;
    private readonly int _chunkSize;
    private readonly Safety.FileNode _opened;
    private readonly Channel<Chunk> _chunks;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;

    public ChunkReader(SafeFileHandle handle, int chunkSize, int readAhead, Safety.FileNode opened, CancellationToken cancellationToken)
    {
        _handle = handle;
        _opened = opened;
        _chunkSize = chunkSize;
        _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(readAhead) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
    }

    public long BytesRead { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<Chunk?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _chunks.Reader.TryRead(out var chunk))
        {
            BytesRead += chunk.Length;
            return chunk;
        }

        // Completion carries the pump's exception, if any.
#pragma warning disable VSTHRD003 // The pump is this object's own work, started in its constructor.
        await _chunks.Reader.Completion.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
#pragma warning disable VSTHRD003 // The pump is this object's own work, started in its constructor.
            await _pump.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
        catch (Exception)
        {
            // The pump's failure has been seen by the reader, or the file was abandoned: either way nothing more to report.
        }

        while (_chunks.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _stop.Dispose();
        _handle.Dispose();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            long offset = 0;
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(_chunkSize);
                int n;
                try
                {
                    n = await ReadFullAsync(_handle, buffer.AsMemory(0, _chunkSize), offset, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (n < _chunkSize)
                {
                    // The end: all of it, and still as it was when opened (see ChangedDuringTheRun); the last chunk
                    // is handed on only then.
                    try
                    {
                        Safety.ChangedDuringTheRun.ThrowIfChanged(_handle, _opened, offset + n);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                }

                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                offset += n;
                try
                {
                    await _chunks.Writer.WriteAsync(new Chunk(buffer, n), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (n < _chunkSize)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            _chunks.Writer.TryComplete(error);
        }
    }

    internal static async ValueTask<int> ReadFullAsync(SafeFileHandle handle, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    internal readonly record struct Chunk(byte[] Buffer, int Length);
}
